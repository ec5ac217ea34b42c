using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Diagnostics;

/// <summary>The track API's warnings: counted, each distinct one logged once with the documentation URL, bounded.</summary>
public sealed class ApiWarningsTests : CollectorTestBase, IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeLogger<ApiWarnings> _logger = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Report_EachDistinctWarningLoggedOnce_AllCounted()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        using var counted = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.api.warnings");
        var warnings = new ApiWarnings(new ThriveStackMetrics(meters), new FakeTimeProvider(), _logger);
        var answer = """{"success":true,"warnings":["signed_up: user_email is missing","a"],"documentation":"https://docs.thrivestack.ai/track"}"""u8;

        warnings.Report(answer);
        warnings.Report(answer);

        Assert.Equal(4, counted.GetMeasurementSnapshot().Sum(m => m.Value));
        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogEvents.ApiWarning, l.Id.Id));
        Assert.Contains("\"signed_up: user_email is missing\" (documentation: https://docs.thrivestack.ai/track)", lines[0].Message, StringComparison.Ordinal);
        var first = warnings.Snapshot().First();
        Assert.Equal(2, first.Count);
    }

    [Theory]
    [InlineData("""{"success":true,"eventId":"evt_1"}""")]
    [InlineData("""{"warnings":"not an array"}""")]
    [InlineData("""{"warnings":[1,{"a":2},null]}""")]
    [InlineData("<html>not json</html>")]
    [InlineData("""{"warnings":["unterminated""")]
    [InlineData("")]
    [InlineData("""{"warnings":{"a":1},"documentation":"https://d.test"}""")]
    [InlineData("""{"warnings":"x","documentation":{"nested":[1,2]}}""")]
    [InlineData("[1,2,3]")]
    public void Report_NoWarningsOrNotJson_NothingLoggedNothingThrown(string answer)
    {
        var warnings = new ApiWarnings(new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), new FakeTimeProvider(), _logger);

        warnings.Report(Encoding.UTF8.GetBytes(answer));

        Assert.Empty(_logger.Collector.GetSnapshot());
        Assert.Empty(warnings.Snapshot());
    }

    [Fact]
    public void Report_WarningsAfterOtherFields_AndOddItems_Read()
    {
        var warnings = new ApiWarnings(new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), new FakeTimeProvider(), _logger);

        warnings.Report("""{"success":true,"meta":{"a":[1,{"b":2}]},"warnings":[{"x":1},"kept",null,["y"]],"documentation":"https://d.test"}"""u8);

        var kept = Assert.Single(warnings.Snapshot());
        Assert.Equal(("kept", "https://d.test"), (kept.Text, kept.Documentation));
    }

    [Fact]
    public async Task Delivery_OddAnswerBody_StillDeliveredOnce()
    {
        await using var sink = await OddAnswerSink.StartAsync();
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.Endpoint = sink.Endpoint);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        Assert.Equal(1, sink.Requests);
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void Report_ManyDistinct_BoundedAndSaidOnce()
    {
        var warnings = new ApiWarnings(new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), new FakeTimeProvider(), _logger);

        for (var i = 0; i < ApiWarnings.MaxDistinct + 50; i++)
            warnings.Report([$"warning {i}"], null);

        Assert.Equal(ApiWarnings.MaxDistinct, warnings.Snapshot().Count);
        Assert.Equal(ApiWarnings.MaxDistinct + 1, _logger.Collector.GetSnapshot().Count); // each kept one, then one "more than"
    }

    [Fact]
    public async Task Delivery_AnswerWithWarnings_LoggedOnceAndCounted()
    {
        Collector.SetFault(CollectorFault.AcceptWithWarnings(["report_exported: format is not a known value"], "https://docs.thrivestack.ai/track"));
        await using var host = await TrackingHost.CreateAsync(Collector);

        for (var i = 0; i < 3; i++)
        {
            host.Tracker.Track("report_exported", new() { ["format"] = "xls" }, userId: "u1");
            await host.Tracker.FlushAsync();
        }

        var line = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.ApiWarning);
        Assert.Contains("format is not a known value", line.Message, StringComparison.Ordinal);
        Assert.Equal(3, Collector.Events.Count);
    }

    /// <summary>
    /// An answer of unknown length (chunked) larger than the first read buffer: the buffer grows and the warning at its
    /// end is read. One twice the limit is not read at all, and the batch still counts as delivered.
    /// </summary>
    [Theory]
    [InlineData(20_000, true)]
    [InlineData(140_000, false)]
    public async Task Delivery_LongChunkedAnswer_ReadUpToTheLimit(int padding, bool read)
    {
        var answer = $$"""{"success":true,"pad":"{{new string('x', padding)}}","warnings":["the last field"],"documentation":"https://d.test"}""";
        await using var sink = await OddAnswerSink.StartAsync(answer);
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.Endpoint = sink.Endpoint);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        Assert.Equal(1, sink.Requests);
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        var logged = host.Logs.GetSnapshot().Where(r => r.Id.Id == LogEvents.ApiWarning).ToList();
        if (read)
            Assert.Contains("the last field", Assert.Single(logged).Message, StringComparison.Ordinal);
        else
            Assert.Empty(logged);
    }

    /// <summary>
    /// A track API stand-in on 127.0.0.1 that accepts every batch with a 200 JSON body (of an unexpected shape unless
    /// given), written without a <c>Content-Length</c>, so it is sent chunked.
    /// </summary>
    private sealed class OddAnswerSink : IAsyncDisposable
    {
        private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
        private int _requests;

        private OddAnswerSink(Microsoft.AspNetCore.Builder.WebApplication app) => _app = app;

        public Uri Endpoint { get; private set; } = null!;

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<OddAnswerSink> StartAsync(string answer = """{"success":true,"warnings":{"a":1},"documentation":["x"]}""")
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var sink = new OddAnswerSink(app);
            ((Microsoft.AspNetCore.Builder.IApplicationBuilder)app).Run(async context =>
            {
                Interlocked.Increment(ref sink._requests);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer);
            });
            await app.StartAsync();
            var address = app.Urls.First();
            sink.Endpoint = new Uri(address + "/api/track");
            return sink;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
