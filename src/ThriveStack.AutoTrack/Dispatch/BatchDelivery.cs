using System.Globalization;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The delivery step: posts a batch and settles every event in it. Delivered events are counted (and removed from the
/// backlog); a 400/413 is halved until each offending event is alone and dropped as <c>rejected</c>; a failing backlog
/// batch is retried in halves, and an event the API fails on by itself is moved behind the others and, after
/// <see cref="MaxEventFailures"/> such failures while the API accepted others, dropped as <c>undeliverable</c>. Any other
/// failure goes to the <see cref="DeliveryGate"/>. While a backlog waits and delivery is healthy, it posts up to
/// <see cref="ThriveStackOptions.MaxConcurrentRequests"/> batches at once.
/// </summary>
/// <remarks>Threads: only the sending loop calls it; every field below is that loop's alone.</remarks>
internal sealed partial class BatchDelivery(
    IBatchTransport transport,
    RecordKind kind,
    ThriveStackOptions options,
    TimeProvider time,
    ThriveStackMetrics metrics,
    ILogger logger,
    DeliveryGate gate,
    FlushTracker flush,
    Func<IEventBacklog> backlog,
    Action<PendingBatch, int, int> parkUnsent,
    CancellationToken abort)
{
    private const int MaxEventFailures = 5;

    private readonly BatchPoster _poster = new(transport, kind, time, metrics, options.MaxConcurrentRequests, abort);
    private readonly SuspectEvents _suspects = new();

    private int _settled;                       // events of the batch being delivered that are settled, from its start (left to right)
    private int _probeSize = options.BatchSize; // events in the next backlog read: halves on each failure, doubles back on success

    /// <summary>How many events the next backlog read should take (fewer while a failing batch is being halved).</summary>
    public int ProbeSize => _probeSize;

    private IEventBacklog Backlog => backlog();

    private string BacklogName => Backlog.IsDurable ? "the spool" : "memory";

    /// <summary>Posts a batch; what is neither delivered nor rejected goes to the backlog (if it is not from there).</summary>
    public async Task DeliverAsync(PendingBatch batch)
    {
        _settled = 0;
        try
        {
            if (batch.FromBacklog && _suspects.Count > 0)
                await SettleAroundSuspectsAsync(batch).ConfigureAwait(false);
            else
                await SettleAsync(batch, 0, batch.Count).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Unsettled(batch);
            throw;
        }
        Unsettled(batch);
    }

    /// <summary>
    /// Sends each event the API has failed on by itself alone, and the runs of events between them together, so that a
    /// known bad event costs one request instead of a new round of halving.
    /// </summary>
    private async Task SettleAroundSuspectsAsync(PendingBatch batch)
    {
        var start = 0;
        while (start < batch.Count)
        {
            var end = start + 1;
            if (!_suspects.Contains(batch.Id(start)))
            {
                while (end < batch.Count && !_suspects.Contains(batch.Id(end)))
                    end++;
            }
            await SettleAsync(batch, start, end - start).ConfigureAwait(false);
            if (_settled != end)
                return;
            start = end;
        }
    }

    private void Unsettled(PendingBatch batch)
    {
        var rest = batch.Count - _settled;
        if (rest <= 0 || batch.FromBacklog)
            return;
        parkUnsent(batch, _settled, rest); // what a fresh batch could not deliver goes to the backlog
        _settled = batch.Count;
    }

    /// <summary>
    /// Sends events [start, start + count) and settles them: delivered, or, on a 400, split in halves until each
    /// offending event is alone and dropped as <c>rejected</c>. Stops at the first other failure, which pauses delivery.
    /// Settles strictly left to right, so <see cref="_settled"/> always marks where the unsettled events begin.
    /// </summary>
    private async Task SettleAsync(PendingBatch batch, int start, int count)
    {
        var result = await _poster.PostAsync(batch, start, count).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                Settle(batch, start, count, reason: null);
                Delivered();
                return;

            case SendOutcome.Rejected when count == 1:
                var tooLarge = result.StatusCode == 413;
                DispatchLog.EventRejected(logger, kind.Name(), batch.Name(start), result.StatusCode);
                Settle(batch, start, 1, tooLarge ? DropReasons.TooLarge : DropReasons.Rejected);
                return;

            case SendOutcome.Rejected:
                var half = count / 2;
                await SettleAsync(batch, start, half).ConfigureAwait(false);
                if (_settled == start + half)
                    await SettleAsync(batch, start + half, count - half).ConfigureAwait(false);
                return;

            case SendOutcome.Transient or SendOutcome.Failed when count == 1 && batch.FromBacklog:
                Isolate(batch, start, result);
                return;

            case SendOutcome.Transient or SendOutcome.Failed:
                // Perhaps one event the API cannot handle: the next try sends the older half alone, and so on down to
                // one event. An outage costs nothing more (one request per retry either way).
                _probeSize = Math.Max(1, count / 2);
                Failed(result, count);
                return;

            default:
                Failed(result, count);
                return;
        }
    }

    private void Settle(PendingBatch batch, int start, int count, string? reason)
    {
        // Count before releasing flush waiters, so a caller of FlushAsync sees the metrics.
        var settled = batch.FromBacklog ? Backlog.Remove(batch.Id(start), batch.Id(start + count - 1)) : count;
        if (reason is null)
            metrics.Sent(settled);
        else
            metrics.Dropped(settled, reason);
        _settled = start + count;
        for (var i = start; _suspects.Count > 0 && batch.FromBacklog && i < start + count; i++)
            _suspects.Forget(batch.Id(i));
        if (batch.FromBacklog)
            flush.Release();
        else
            flush.Resolve(count);
    }

    /// <summary>
    /// The API failed on one event sent alone. Move it behind the others so it no longer holds them up, and retry it later
    /// with backoff. It counts as a failure of that event only when the API accepted other events since its last failure
    /// (else the API may just be down); after <see cref="MaxEventFailures"/> of those it is dropped as undeliverable.
    /// </summary>
    private void Isolate(PendingBatch batch, int index, SendResult result)
    {
        var id = batch.Id(index);
        var (movedId, eventFailures) = Backlog.Defer(id, countFailure: _suspects.FailureCounts(id));
        if (eventFailures >= MaxEventFailures)
        {
            _settled = index + 1;
            metrics.Dropped(Backlog.Remove(movedId, movedId), DropReasons.Undeliverable);
            DispatchLog.EventUndeliverable(logger, kind.Name(), batch.Name(index), eventFailures, result.Error ?? "status " + result.StatusCode.ToString(CultureInfo.InvariantCulture));
            flush.Release();
            return;
        }
        if (movedId != 0)
            _suspects.Remember(movedId);
        Failed(result, 1);
    }

    private void Delivered()
    {
        _suspects.Accepted();
        _probeSize = Math.Min(options.BatchSize, _probeSize * 2);
        gate.Delivered();
    }

    private void Failed(SendResult result, int count)
    {
        _suspects.Failed();
        if (result.Outcome != SendOutcome.Unauthorized)
            metrics.Retried();
        gate.Failed(result, count, BacklogName);
    }
}
