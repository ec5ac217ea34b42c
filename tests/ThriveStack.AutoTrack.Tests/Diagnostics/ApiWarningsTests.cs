using System.Diagnostics.Metrics;
using System.Text;
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
    public void Report_NoWarningsOrNotJson_NothingLoggedNothingThrown(string answer)
    {
        var warnings = new ApiWarnings(new ThriveStackMetrics(_services.GetRequiredService<IMeterFactory>()), new FakeTimeProvider(), _logger);

        warnings.Report(Encoding.UTF8.GetBytes(answer));

        Assert.Empty(_logger.Collector.GetSnapshot());
        Assert.Empty(warnings.Snapshot());
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
}
