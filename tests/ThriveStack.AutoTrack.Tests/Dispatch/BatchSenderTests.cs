using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The sending loop alone, on a fake clock with a scripted transport: what it sends first, and when it waits.</summary>
public sealed partial class BatchSenderTests : IAsyncDisposable
{
    private readonly DispatchRig _rig = new(new ThriveStackOptions { BatchSize = 4, MaxQueueSize = 100, MaxConcurrentRequests = 1 });
    private readonly List<List<int>> _requests = [];
    private Func<List<int>, SendResult> _answer = _ => SendResult.Delivered(200);
    private Task? _loop;

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            _rig.Stop.BeginStopping();
            _rig.Stop.CollectorEnded();
            _rig.Stop.Cancel();
            _rig.SenderWake.Set();
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        _rig.Dispose();
    }

    [Fact]
    public async Task HandedOverBatch_Sent()
    {
        Start();

        _rig.Handoff.TryHandOver(TestBatches.Numbered(0, 3));

        await Wait.UntilAsync(() => Requests().Count == 1);
        Assert.Equal([0, 1, 2], Requests()[0]);
        Assert.Equal(3, _rig.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Backlog_SentBeforeTheHandedOverBatch_OldestFirst()
    {
        _rig.Backlog.Park(TestBatches.Numbered(0, 6));
        _rig.Handoff.TryHandOver(TestBatches.Numbered(100, 2));

        Start();

        await Wait.UntilAsync(() => Requests().Count == 3);
        Assert.Equal([[0, 1, 2, 3], [4, 5], [100, 101]], Requests());
        Assert.Equal(0, _rig.Backlog.Backlog.Count);
    }

    [Fact]
    public async Task GateClosed_HandedOverBatchParked_ProbeAtResumeTime()
    {
        _answer = _ => new SendResult(SendOutcome.Transient, 503);
        Start();
        _rig.Handoff.TryHandOver(TestBatches.Numbered(0, 2));
        await Wait.UntilAsync(() => Requests().Count == 1 && _rig.Backlog.Backlog.Count == 2);
        _answer = _ => SendResult.Delivered(200);

        _rig.Handoff.TryHandOver(TestBatches.Numbered(2, 2)); // while paused: parked behind the failed one, not sent
        await Wait.UntilAsync(() => _rig.Backlog.Backlog.Count == 4);
        Assert.Single(Requests());

        await _rig.Time.AdvanceUntilAsync(() => _rig.Backlog.Backlog.Count == 0, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2));
        Assert.Equal([0, 1, 2, 3], Requests().Skip(1).SelectMany(r => r).Order());
        Assert.Equal(DeliveryStatus.Delivering, _rig.Gate.State.Status);
    }

    [Fact]
    public async Task Stop_CollectorDone_EndsAndCountsWhatMemoryHeld()
    {
        _rig.Gate.Backoff(); // paused: nothing more is sent
        _rig.Backlog.Park(TestBatches.Numbered(0, 3));
        Start();

        _rig.Stop.BeginStopping();
        _rig.Stop.CollectorEnded();
        _rig.SenderWake.Set();

        await _loop!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(Requests());
        Assert.Equal(3, _rig.DroppedFor(DropReasons.Shutdown));
    }

    [Fact]
    public async Task Stop_TheDeliveryDeadline_EndsTheLoop()
    {
        Start();

        _rig.Stop.Cancel();
        _rig.SenderWake.Set();

        await _loop!.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private List<List<int>> Requests()
    {
        lock (_requests)
            return _requests.ToList();
    }

    private void Start()
    {
        var delivery = new BatchDelivery(new ScriptedTransport(this), RecordKind.Track, _rig.Options, _rig.Time, _rig.Metrics, _rig.Logger, _rig.Gate, _rig.Flush,
            () => _rig.Backlog.Backlog, _rig.Backlog.Park, _rig.Stop.Deadline);
        var sender = new BatchSender(delivery, _rig.Gate, _rig.Handoff, _rig.Backlog, _rig.Flush, _rig.Stop, _rig.SenderWake,
            _rig.Options.FlushInterval, _rig.Options.MaxBatchBytes, _rig.Time, _rig.Logger);
        _loop = Task.Run(sender.RunAsync);
    }

    [GeneratedRegex(@"""s"":\s*(\d+)")]
    private static partial Regex Number();

    /// <summary>Answers from the numbers of the events in the body, and records each request's numbers.</summary>
    private sealed class ScriptedTransport(BatchSenderTests test) : IBatchTransport
    {
        public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        {
            var numbers = Number().Matches(Encoding.UTF8.GetString(body.Span)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            lock (test._requests)
                test._requests.Add(numbers);
            return Task.FromResult(test._answer(numbers));
        }
    }
}
