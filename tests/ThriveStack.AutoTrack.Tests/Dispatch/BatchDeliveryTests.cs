using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The delivery step alone: a scripted transport (the HTTP seam), a memory backlog, a fake clock.</summary>
public sealed class BatchDeliveryTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _sent;
    private readonly MetricCollector<long> _dropped;
    private readonly MemoryBacklog _backlog = new(10_000, 1 << 20);
    private readonly List<(PendingBatch Batch, int Start, int Count)> _parked = [];
    private readonly ThriveStackOptions _options = new() { BatchSize = 8 };
    private readonly DeliveryGate _gate;
    private readonly FlushTracker _flush;
    private Func<List<int>, SendResult> _answer = _ => SendResult.Delivered(200);

    public BatchDeliveryTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        Metrics = new ThriveStackMetrics(meters);
        _sent = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.sent");
        _dropped = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.dropped");
        _gate = new DeliveryGate(_options, _time, _logger, () => { }, new Random(1));
        _flush = new FlushTracker(() => true);
    }

    private ThriveStackMetrics Metrics { get; }

    private List<List<int>> Requests { get; } = [];

    [Fact]
    public async Task FreshBatch_Delivered_CountedAndResolved()
    {
        var delivery = Delivery();
        for (var i = 0; i < 3; i++)
            _flush.Accepted();
        var done = _flush.Register();

        await delivery.DeliverAsync(TestBatches.Numbered(0, 3));

        Assert.Equal(3, _sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.True(done!.IsCompleted);
        Assert.Empty(_parked);
    }

    [Fact]
    public async Task FreshBatch_ServerError_RestParked_GatePaused()
    {
        _answer = _ => new SendResult(SendOutcome.Transient, 503);
        var delivery = Delivery();

        await delivery.DeliverAsync(TestBatches.Numbered(0, 8));

        var parked = Assert.Single(_parked);
        Assert.Equal((0, 8), (parked.Start, parked.Count));
        Assert.Equal(DeliveryStatus.Retrying, _gate.State.Status);
        Assert.Equal(4, delivery.ProbeSize); // the next try sends the older half
    }

    [Fact]
    public async Task BacklogBatch_OneEventRejected_HalvedUntilAlone_RestRemovedAsSent()
    {
        _backlog.Append(TestBatches.Numbered(0, 8), 0, 8);
        _answer = seqs => seqs.Contains(5) ? new SendResult(SendOutcome.Rejected, 400) : SendResult.Delivered(200);
        var delivery = Delivery();

        using (var batch = _backlog.ReadOldest(8, 1 << 20))
            await delivery.DeliverAsync(batch);

        Assert.Equal(0, _backlog.Count);
        Assert.Equal(7, _sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, Dropped(DropReasons.Rejected));
        Assert.Equal([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5], [4], [5], [6, 7]], Requests);
    }

    [Fact]
    public async Task BacklogEventFailingAlone_WhileOthersAreAccepted_DroppedAsUndeliverableAfterFiveFailures()
    {
        _backlog.Append(TestBatches.Numbered(0, 1), 0, 1); // the bad one
        _answer = seqs => seqs.Contains(0) ? new SendResult(SendOutcome.Transient, 500) : SendResult.Delivered(200);
        var delivery = Delivery();

        for (var round = 1; round <= 6 && _backlog.Count > 0; round++)
        {
            _backlog.Append(TestBatches.Numbered(round, 1), 0, 1); // a good event behind it: proof the API is up
            for (var sends = 0; sends < 2 && _backlog.Count > 0; sends++)
            {
                _time.Advance(TimeSpan.FromMinutes(1)); // past any backoff
                using var batch = _backlog.ReadOldest(1, 1 << 20);
                await delivery.DeliverAsync(batch);
                _backlog.Release();
            }
        }

        Assert.Equal(0, _backlog.Count);
        Assert.Equal(1, Dropped(DropReasons.Undeliverable));
        Assert.Equal(6, _sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.EventUndeliverable);
    }

    [Fact]
    public async Task Backlog_SeveralBatchesWaiting_PostedTogether_SettledInOrder()
    {
        _options.MaxConcurrentRequests = 3;
        _backlog.Append(TestBatches.Numbered(0, 30), 0, 30);
        var delivery = Delivery();

        Assert.True(await delivery.SendBacklogConcurrentlyAsync(stopping: false));

        Assert.Equal(3, Requests.Count);
        Assert.Equal(6, _backlog.Count); // 3 batches of 8 went; the rest waits for the next round
        Assert.Equal(24, _sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.False(await delivery.SendBacklogConcurrentlyAsync(stopping: true)); // at stop, one at a time
    }

    [Fact]
    public async Task Backlog_OneOfTheBatchesInFlightRateLimited_GateStaysPaused_OthersSettled()
    {
        _options.MaxConcurrentRequests = 3;
        _backlog.Append(TestBatches.Numbered(0, 24), 0, 24);
        _answer = seqs => seqs.Contains(0) ? new SendResult(SendOutcome.RateLimited, 429, RetryAfter: TimeSpan.FromSeconds(30)) : SendResult.Delivered(200);
        var delivery = Delivery();

        Assert.True(await delivery.SendBacklogConcurrentlyAsync(stopping: false));

        // The two batches accepted alongside the 429 are settled, but do not reopen what the 429 closed.
        Assert.Equal(DeliveryStatus.RateLimited, _gate.State.Status);
        Assert.Equal(16, _sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(8, _backlog.Count);
    }

    public void Dispose()
    {
        _sent.Dispose();
        _dropped.Dispose();
        _services.Dispose();
    }

    private BatchDelivery Delivery()
        => new(new ScriptedTransport(this), RecordKind.Track, _options, _time, Metrics, _logger, _gate, _flush, () => _backlog,
            (batch, start, count) => _parked.Add((batch, start, count)), CancellationToken.None);

    private long Dropped(string reason)
        => _dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], reason)).Sum(m => m.Value);

    /// <summary>Answers from the numbers of the events in the body, and records each request's numbers.</summary>
    private sealed class ScriptedTransport(BatchDeliveryTests test) : IBatchTransport
    {
        public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        {
            var seqs = System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(body.Span), @"""s"":\s*(\d+)")
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            lock (test.Requests)
                test.Requests.Add(seqs);
            return Task.FromResult(test._answer(seqs));
        }
    }
}
