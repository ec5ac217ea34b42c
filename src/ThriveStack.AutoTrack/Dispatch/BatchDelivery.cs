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
internal sealed class BatchDelivery(
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

    /// <summary>
    /// While delivery is healthy and more than a batch waits in the backlog, posts up to
    /// <see cref="ThriveStackOptions.MaxConcurrentRequests"/> of its oldest batches at once, so a distant or slow API
    /// drains it at that many times one request's rate. The answers are settled here, on the sending loop, in the
    /// batches' order: the gate and the halving state stay the sending loop's alone. False when this is not the time.
    /// </summary>
    public async Task<bool> SendBacklogConcurrentlyAsync(bool stopping)
    {
        var most = options.MaxConcurrentRequests;
        if (most < 2 || stopping || _suspects.Count > 0 || _probeSize < options.BatchSize || Backlog.Count <= options.BatchSize)
            return false;
        var batches = new List<PendingBatch>(most);
        try
        {
            for (long read = 0; batches.Count < most && read < Backlog.Count;)
            {
                var batch = Backlog.ReadOldest(options.BatchSize, options.MaxBatchBytes);
                if (batch.Count == 0)
                {
                    batch.Dispose();
                    break;
                }
                read += batch.Count;
                batches.Add(batch);
            }
            if (batches.Count == 0)
                return false;
            var posts = new Task<SendResult>[batches.Count];
            for (var i = 0; i < batches.Count; i++)
                posts[i] = _poster.PostAsync(batches[i], 0, batches[i].Count, slot: i);
            var results = await Task.WhenAll(posts).ConfigureAwait(false);

            // The first failure decides the pause, and is applied after the deliveries of the same round, so that a
            // batch accepted alongside a 429 or a refused key does not reopen the gate. Failed batches stay in the backlog.
            var failure = -1;
            for (var i = 0; i < results.Length && failure < 0; i++)
            {
                if (results[i].Outcome is not (SendOutcome.Delivered or SendOutcome.Rejected))
                    failure = i;
            }
            for (var i = 0; i < batches.Count; i++)
            {
                var (batch, result) = (batches[i], results[i]);
                if (result.Outcome == SendOutcome.Delivered)
                {
                    Settle(batch, 0, batch.Count, reason: null);
                    Delivered();
                }
                else if (result.Outcome == SendOutcome.Rejected && failure < 0 && gate.State.IsOpen)
                {
                    _settled = 0;
                    await SettleAsync(batch, 0, batch.Count).ConfigureAwait(false); // halve it now, as one request would
                }
            }
            if (failure >= 0)
            {
                var (batch, result) = (batches[failure], results[failure]);
                if (result.Outcome is SendOutcome.Transient or SendOutcome.Failed)
                    _probeSize = Math.Max(1, batch.Count / 2);
                Failed(result, batch.Count);
            }
            return true;
        }
        finally
        {
            foreach (var batch in batches)
                batch.Dispose();
            Backlog.Release();
        }
    }

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
