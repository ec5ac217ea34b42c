using System.Collections.Concurrent;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The in-memory queue between producers (any thread, never waiting) and the collecting loop (its one reader), bounded
/// by <see cref="ThriveStackOptions.MaxQueueSize"/>. It wakes the collector at the high-water mark (half the bound), and
/// when as many events are queued as the collector asked for (a step, or what fills its batch), never once per event.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="ConcurrentQueue{T}"/>: an enqueue is one compare-and-swap. A channel's <c>TryWrite</c> takes a lock
/// on every write (to hand the item to a waiting reader), which cost about a fifth of a pre-built event's <c>Track</c>
/// in a profile (2026-12-02; single-threaded, 16 ns against 4 ns). The bound is kept by <see cref="Length"/>, an
/// interlocked counter.
/// </para>
/// <para>
/// Threads meet here in three places, each an interlocked write followed by a read of the other side's flag, so one of
/// the two always sees the other: a producer counts itself in <see cref="Length"/> before it looks at
/// <c>_completed</c>, which <see cref="Complete"/> sets before the reader looks at <see cref="Length"/> (so no event is
/// accepted after the reader has seen the last one); a producer enqueues before it looks at <c>_readerWaiting</c>,
/// which the reader sets before it looks at the queue once more (so no wake-up is lost); and the fill wake, below.
/// </para>
/// </remarks>
internal sealed class EventQueue
{
    private readonly ConcurrentQueue<IOutboundRecord> _items = new();
    private readonly WakeSignal _readable = new(TimeProvider.System); // waited on without a deadline: the clock is unused
    private readonly int _maxSize;
    private readonly FlushTracker _flush;
    private readonly Action _wakeCollector;
    private int _queued;                   // producers add (before enqueuing), the collector subtracts (after dequeuing)
    private int _fillWakeAt = int.MaxValue; // queue length that fills the collector's batch: the collector writes, producers read
    private int _fillWakeArmed;            // 1 while the collector sleeps on a partial batch; the producer that wakes it clears it
    private int _readerWaiting;            // 1 while the collector waits for a first event; the producer that wakes it clears it
    private int _completed;                // 1 once stopping: set once, by Complete

    public EventQueue(int maxSize, FlushTracker flush, Action wakeCollector)
    {
        _maxSize = maxSize;
        HighWater = Math.Max(1, maxSize / 2);
        _flush = flush;
        _wakeCollector = wakeCollector;
    }

    /// <summary>Half the bound: past it, a collector waiting for the sender spills to the backlog instead.</summary>
    public int HighWater { get; }

    /// <summary>Events waiting (and, for an instant, events being queued or turned away).</summary>
    public int Length => Volatile.Read(ref _queued);

    private bool Completed => Volatile.Read(ref _completed) != 0;

    /// <summary>Tests only: runs in <see cref="TryEnqueue"/> after the producer is counted and before its event is queued.</summary>
    internal Action? BeforeEnqueue { get; set; }

    /// <summary>Queues an event without waiting. Returns null when accepted, else the drop reason.</summary>
    public string? TryEnqueue(IOutboundRecord trackEvent)
    {
        var queued = Interlocked.Increment(ref _queued);
        if (queued > _maxSize)
        {
            Interlocked.Decrement(ref _queued);
            return Completed ? DropReasons.Shutdown : DropReasons.QueueFull;
        }
        if (Completed)
        {
            Interlocked.Decrement(ref _queued);
            return DropReasons.Shutdown;
        }

        BeforeEnqueue?.Invoke(); // tests: hold a producer between counting itself in and enqueuing
        _items.Enqueue(trackEvent);
        _flush.Accepted();
        if (Volatile.Read(ref _readerWaiting) != 0 && Interlocked.Exchange(ref _readerWaiting, 0) != 0)
            _readable.Set();
        if (queued == HighWater)
            _wakeCollector();
        else if (queued >= Volatile.Read(ref _fillWakeAt) && Volatile.Read(ref _fillWakeArmed) == 1 && Interlocked.Exchange(ref _fillWakeArmed, 0) == 1)
            _wakeCollector();
        return null;
    }

    /// <summary>Takes the oldest event, if any (the collecting loop only).</summary>
    public bool TryDequeue(out IOutboundRecord trackEvent)
    {
        if (!_items.TryDequeue(out trackEvent!))
            return false;
        Interlocked.Decrement(ref _queued);
        return true;
    }

    /// <summary>
    /// The collecting loop only: completes when an event can be read (true) or the queue is completed and empty
    /// (false), as a channel reader's <c>WaitToReadAsync</c> does.
    /// </summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_items.IsEmpty)
                return true;
            if (Completed)
            {
                if (Volatile.Read(ref _queued) == 0)
                    return false;
                // A producer counted itself before the queue was completed and is putting its event in (or one turned
                // away is about to count itself out): it takes an instant, and the event must not be left behind.
                await Task.Yield();
                continue;
            }

            _readable.TryReset();
            Interlocked.Exchange(ref _readerWaiting, 1);
            if (!_items.IsEmpty || Completed)
            {
                Volatile.Write(ref _readerWaiting, 0);
                continue;
            }
            await _readable.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Accepts nothing more (stopping): later events are dropped as <c>shutdown</c>.</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _completed, 1);
        _readable.Set();
    }

    /// <summary>Asks to be woken once <paramref name="needed"/> events are queued; true when they already are.</summary>
    public bool ArmFillWake(int needed)
    {
        Volatile.Write(ref _fillWakeAt, needed);
        Volatile.Write(ref _fillWakeArmed, 1);
        return Length >= needed;
    }

    public void DisarmFillWake() => Volatile.Write(ref _fillWakeArmed, 0);
}
