using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>
/// The HTTP transport alone, against the testing kit's collector on loopback (Kestrel, enforcing the contract): the request
/// it makes, and how each kind of answer is classified.
/// </summary>
public sealed class HttpBatchTransportTests : CollectorTestBase
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private ServiceProvider? _services;

    private static readonly byte[] OneEvent = Encoding.UTF8.GetBytes(
        """[{"event_name":"report_exported","properties":{"seq":1},"user_id":"u1","context":{"group_id":"g1"},"timestamp":"2026-12-01T12:00:00.000Z"}]""");

    private HttpBatchTransport Transport(bool followRedirects = false, TimeSpan? requestTimeout = null, Uri? endpoint = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(HttpBatchTransport.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = followRedirects });
        _services = services.BuildServiceProvider();
        var options = new ThriveStackOptions
        {
            ApiKey = Collector.ApiKey,
            Endpoint = endpoint ?? Collector.Endpoint,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        };
        return new HttpBatchTransport(_services.GetRequiredService<IHttpClientFactory>(), _time, Options.Create(options));
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Accepted_Delivered_WithTheKeyAndTheBodyTheContractWants()
    {
        var result = await Transport().SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal((SendOutcome.Delivered, 200), (result.Outcome, result.StatusCode));
        var received = Assert.Single(Collector.Events); // the collector checks the key, the content type and the contract
        Assert.Equal("report_exported", received.EventName);
    }

    [Fact]
    public async Task EachKind_GoesToItsOwnEndpoint()
    {
        var transport = Transport();
        var identify = Encoding.UTF8.GetBytes("""[{"user_id":"u1","traits":{"email":"ada@example.com"},"timestamp":"2026-12-01T12:00:00.000Z"}]""");
        var group = Encoding.UTF8.GetBytes("""[{"group_id":"g1","user_id":"u1","traits":{"group_type":"Account"},"timestamp":"2026-12-01T12:00:00.000Z"}]""");

        Assert.Equal(SendOutcome.Delivered, (await transport.SendAsync(RecordKind.Identify, identify, 1, CancellationToken.None)).Outcome);
        Assert.Equal(SendOutcome.Delivered, (await transport.SendAsync(RecordKind.Group, group, 1, CancellationToken.None)).Outcome);

        Assert.Empty(Collector.Events);
        Assert.Equal("ada@example.com", Assert.Single(Collector.Identifies).Traits.GetProperty("email").GetString());
        Assert.Equal("g1", Assert.Single(Collector.Groups).GroupId);
    }

    [Theory]
    [InlineData(400, "Rejected")]
    [InlineData(413, "Rejected")]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Unauthorized")]
    [InlineData(429, "RateLimited")]
    [InlineData(408, "Transient")]
    [InlineData(500, "Transient")]
    [InlineData(503, "Transient")]
    [InlineData(404, "Failed")]
    [InlineData(418, "Failed")]
    public async Task Status_Classified(int status, string expected)
    {
        Collector.SetFault(CollectorFault.Status(status));

        var result = await Transport().SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal((Enum.Parse<SendOutcome>(expected), status), (result.Outcome, result.StatusCode));
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task RetryAfter_InSeconds()
    {
        Collector.SetFault(CollectorFault.Status(429, retryAfter: "7"));

        var result = await Transport().SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal((SendOutcome.RateLimited, TimeSpan.FromSeconds(7)), (result.Outcome, result.RetryAfter));
    }

    [Fact]
    public async Task RetryAfter_AsAnHttpDate_CountedFromTheClock_NeverNegative()
    {
        var transport = Transport();
        Collector.SetFault(CollectorFault.Status(503, retryAfter: _time.GetUtcNow().AddMinutes(2).ToString("r")));
        Assert.Equal(TimeSpan.FromMinutes(2), (await transport.SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None)).RetryAfter);

        Collector.SetFault(CollectorFault.Status(503, retryAfter: _time.GetUtcNow().AddMinutes(-2).ToString("r")));
        Assert.Equal(TimeSpan.Zero, (await transport.SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None)).RetryAfter);
    }

    [Fact]
    public async Task Redirect_NotFollowed_ClassifiedWithItsLocation()
    {
        Collector.SetFault(CollectorFault.Redirect(308));

        var result = await Transport().SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal((SendOutcome.Redirected, 308), (result.Outcome, result.StatusCode));
        Assert.EndsWith(Collector.Endpoint.Authority + ThriveStackCollector.MovedPath, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_FollowedByAHandlerTheAppConfigured_StillNotDelivered()
    {
        Collector.SetFault(CollectorFault.Redirect(301)); // the handler re-sends it as a GET, which the moved page answers 200

        var result = await Transport(followRedirects: true).SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal(SendOutcome.Redirected, result.Outcome);
        Assert.EndsWith(ThriveStackCollector.MovedPath, result.Detail, StringComparison.Ordinal);
        Assert.Empty(Collector.Events);
    }

    [Fact]
    public async Task HtmlWith200_NotTheApi()
    {
        Collector.SetFault(CollectorFault.NotTheApi());

        var result = await Transport().SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal((SendOutcome.NotTheApi, 200, "text/html"), (result.Outcome, result.StatusCode, result.Detail));
    }

    [Fact]
    public async Task NoAnswerWithinRequestTimeout_TransientTimeout()
    {
        Collector.SetFault(CollectorFault.NeverAnswer);
        var send = Transport(requestTimeout: TimeSpan.FromSeconds(10)).SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        await Wait.UntilAsync(() => Collector.PeakConcurrentRequests > 0); // the request is at the collector
        _time.Advance(TimeSpan.FromSeconds(10));
        var result = await send;

        Assert.Equal((SendOutcome.Transient, "timeout"), (result.Outcome, result.Error));
    }

    [Fact]
    public async Task NothingListening_TransientNetworkError_WithoutTheKey()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/api/track");

        var result = await Transport(endpoint: closed).SendAsync(RecordKind.Track, OneEvent, 1, CancellationToken.None);

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.StartsWith("network: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Collector.ApiKey, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancels_CancellationPassesThrough()
    {
        Collector.SetFault(CollectorFault.NeverAnswer);
        using var stop = new CancellationTokenSource();
        var send = Transport().SendAsync(RecordKind.Track, OneEvent, 1, stop.Token);

        await Wait.UntilAsync(() => Collector.PeakConcurrentRequests > 0);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
