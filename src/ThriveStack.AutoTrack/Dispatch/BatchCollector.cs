using System.Text.Json;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The collecting loop: takes events from the <see cref="EventQueue"/> into a batch until it has
/// <see cref="ThriveStackOptions.BatchSize"/> events or <see cref="ThriveStackOptions.MaxBatchBytes"/> of JSON, the first
/// event's flush interval has passed, a flush is asked for, or the host stops; then hands the batch to the sender or
/// parks it in the backlog. On the way out, everything still in memory goes to the backlog or is counted.
/// </summary>
/// <remarks>Threads: one loop runs it; the batch and the carried event are its own. It meets the producers in the queue, the sender in the <see cref="Handoff"/>.</remarks>
internal sealed class BatchCollector
{
    /// <summary>
    /// The most events the loop leaves queued before it takes them into its batch. Serialized, an event is bytes in the
    /// batch's pooled array, and its objects can die young; left in the queue until a whole batch (500) has arrived,
    /// they outlived the runtime's gen0 collections on a host with a small gen0 budget (a few MB), which then promoted
    /// them and ran gen1 collections for them. Taking them in steps also keeps each stretch of serializing short.
    /// </summary>
    internal const int CollectStep = 64;

    private readonly EventQueue _queue;
    private readonly Handoff _handoff;
    private readonly BacklogWriter _backlog;
    private readonly DeliveryGate _gate;
    private readonly FlushTracker _flush;
    private readonly StopState _stop;
    private readonly WakeSignal _wake;
    private readonly TimeSpan _flushInterval;
    private readonly int _batchSize;
    private readonly TimeProvider _time;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly BatchBuffer _batch;
    private readonly Func<TimeSpan> _untilFlushDue;
    private IOutboundRecord? _carry; // the event that did not fit the last batch
    private long _firstAcceptedAt;   // when the batch's first event was accepted (AcceptClock)

    public BatchCollector(EventQueue queue, Handoff handoff, BacklogWriter backlog, DeliveryGate gate, FlushTracker flush, StopState stop,
        WakeSignal wake, ThriveStackOptions options, TimeSpan flushInterval, TimeProvider time, ThriveStackMetrics metrics, ILogger logger)
    {
        _queue = queue;
        _handoff = handoff;
        _backlog = backlog;
        _gate = gate;
        _flush = flush;
        _stop = stop;
        _wake = wake;
        _flushInterval = flushInterval;
        _batchSize = options.BatchSize;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _batch = new BatchBuffer(options.BatchSize, options.MaxBatchBytes);
        _untilFlushDue = UntilFlushDue;
    }

    /// <summary>Runs until the queue is completed and empty, or the stop deadline passes; then spills what is left.</summary>
    public async Task RunAsync(Action ended)
    {
        try
        {
            while (_carry is not null || await _queue.WaitToReadAsync(_stop.Deadline).ConfigureAwait(false))
            {
                await CollectBatchAsync().ConfigureAwait(false);
                if (_batch.Count > 0)
                    await RouteAsync(_batch.Take()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.DeadlinePassed)
        {
        }
        catch (Exception ex)
        {
            DispatchLog.DispatcherFailed(_logger, ex);
        }
        finally
        {
            SpillRemaining();
            ended();
        }
    }

    /// <summary>
    /// Hands a batch to the sender when it is free, else keeps it while the queue is below its high-water mark. It goes
    /// to the backlog instead while delivery is paused, while older events wait there (so the oldest go first), when
    /// the queue passes the mark, and after the stop deadline.
    /// </summary>
    private async Task RouteAsync(PendingBatch batch)
    {
        while (true)
        {
            if (_gate.State.Status != DeliveryStatus.Delivering || _backlog.Backlog.Count > 0 || _stop.DeadlinePassed)
            {
                _backlog.Park(batch);
                return;
            }
            if (_handoff.TryHandOver(batch))
                return;
            if (_queue.Length >= _queue.HighWater)
            {
                _backlog.Park(batch); // the API is slower than the app: spill rather than fill the queue
                return;
            }

            if (_wake.TryReset())
                continue; // check the conditions again before waiting
            // Say we wait, then try once more: a sender that takes the slot after this sees the flag and wakes us.
            _handoff.SetCollectorWaiting(true);
            if (_handoff.TryHandOver(batch))
            {
                _handoff.SetCollectorWaiting(false);
                return;
            }
            await _wake.WaitAsync().ConfigureAwait(false);
            _handoff.SetCollectorWaiting(false);
        }
    }

    /// <summary>After the loop ends (stop deadline, or a failure): everything still in memory goes to the backlog or is counted.</summary>
    private void SpillRemaining()
    {
        try
        {
            if (_batch.Count > 0)
                _backlog.Park(_batch.Take());
            while (TakeCarry(out var next) || _queue.TryDequeue(out next))
            {
                if (!Add(next))
                    _backlog.Park(_batch.Take()); // the event waits in _carry for the next batch
            }
            if (_batch.Count > 0)
                _backlog.Park(_batch.Take());
        }
        catch (Exception ex)
        {
            DispatchLog.DispatcherFailed(_logger, ex);
            DropQueued(DropReasons.Error);
        }
    }

    /// <summary>Counts every event still queued (and the carried one) as dropped for <paramref name="reason"/>.</summary>
    public void DropQueued(string reason)
    {
        var dropped = 0;
        if (TakeCarry(out _))
            dropped++;
        while (_queue.TryDequeue(out _))
            dropped++;
        _backlog.DropUnsent(dropped, reason);
    }

    /// <summary>Fills the batch until it is full, the first event's flush deadline passes, a flush is asked for, or the host stops.</summary>
    private async Task CollectBatchAsync()
    {
        while (true)
        {
            while (!_batch.IsFull && (TakeCarry(out var next) || _queue.TryDequeue(out next)))
            {
                var wasEmpty = _batch.Count == 0;
                if (!Add(next))
                    return; // no room: send now, the event waits in _carry
                if (wasEmpty && _batch.Count == 1)
                    _firstAcceptedAt = next.AcceptedAt;
            }

            if (_batch.IsFull || _batch.Count == 0 || _stop.Stopping || _flush.Requested)
                return;

            if (AcceptClock.Elapsed(_time, _firstAcceptedAt) >= _flushInterval)
                return;
            await WaitForMoreAsync().ConfigureAwait(false);
            _queue.DisarmFillWake();
        }
    }

    private bool TakeCarry(out IOutboundRecord next)
    {
        next = _carry!;
        _carry = null;
        return next is not null;
    }

    /// <summary>Adds to the batch; false when the batch has no room left and must be sent first.</summary>
    private bool Add(IOutboundRecord trackEvent)
    {
        BatchBuffer.AddResult result;
        try
        {
            result = _batch.TryAdd(trackEvent);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            DispatchLog.EventNotSerializable(_logger, trackEvent.RecordName, ex.GetType().Name);
            Dropped(DropReasons.Invalid);
            return true;
        }

        switch (result)
        {
            case BatchBuffer.AddResult.NoRoom:
                _carry = trackEvent;
                return false;
            case BatchBuffer.AddResult.TooLarge:
                DispatchLog.EventTooLarge(_logger, trackEvent.RecordName);
                Dropped(DropReasons.TooLarge);
                return true;
            default:
                return true;
        }
    }

    private void Dropped(string reason)
    {
        _metrics.Dropped(1, reason);
        _flush.Resolve(1);
    }

    /// <summary>
    /// Sleeps until the batch's flush deadline, until enough events are queued to fill it or to make a step of
    /// <see cref="CollectStep"/>, or until woken (flush, stop, high-water mark). It does not wake for every event: in a
    /// busy app events arrive one by one, and a thread wake-up per event costs the app far more than the event itself.
    /// The caller disarms the fill wake-up afterwards. Not an async method, and the deadline is read through one
    /// delegate made once: the loop comes here once per step under load, and allocates no state of its own for it.
    /// </summary>
    private Task WaitForMoreAsync()
    {
        // Re-arm before re-checking the conditions, so a wake-up that lands in between is not lost.
        if (_wake.TryReset() && (_stop.Stopping || _flush.Requested))
            return Task.CompletedTask;
        if (_queue.ArmFillWake(Math.Max(1, Math.Min(CollectStep, _batchSize - _batch.Count))))
            return Task.CompletedTask; // enough are queued already
        return _wake.WaitAsync(_untilFlushDue);
    }

    private TimeSpan UntilFlushDue() => _flushInterval - AcceptClock.Elapsed(_time, _firstAcceptedAt);
}
