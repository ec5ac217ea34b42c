using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The queue alone: its bound, its drop reasons, and when it wakes the collector (never once per event).</summary>
public class EventQueueTests
{
    private readonly FlushTracker _flush = new(() => true);
    private int _wakes;

    [Fact]
    public void Enqueue_UpToTheBound_ThenQueueFull()
    {
        var queue = Queue(3);

        var reasons = Enumerable.Range(0, 5).Select(_ => queue.TryEnqueue(Event())).ToList();

        Assert.Equal([null, null, null, DropReasons.QueueFull, DropReasons.QueueFull], reasons);
        Assert.Equal(3, queue.Length);
    }

    [Fact]
    public void Enqueue_AfterComplete_DroppedAsShutdown()
    {
        var queue = Queue(3);
        queue.TryEnqueue(Event());
        queue.TryEnqueue(Event());
        queue.TryEnqueue(Event());

        queue.Complete();

        Assert.Equal(DropReasons.Shutdown, queue.TryEnqueue(Event())); // full and stopping: shutdown, not queue_full
        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(DropReasons.Shutdown, queue.TryEnqueue(Event())); // room again, but completed
        Assert.Equal(2, queue.Length);
    }

    [Fact]
    public void Dequeue_OldestFirst_CountsDown()
    {
        var queue = Queue(10);
        var first = Event("first_happened");
        queue.TryEnqueue(first);
        queue.TryEnqueue(Event("second_happened"));

        Assert.True(queue.TryDequeue(out var taken));

        Assert.Same(first, taken);
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public void HighWaterMark_WakesTheCollectorOnceAtHalf()
    {
        var queue = Queue(10);

        for (var i = 0; i < 10; i++)
            queue.TryEnqueue(Event());

        Assert.Equal(5, queue.HighWater);
        Assert.Equal(1, _wakes);
    }

    [Fact]
    public void FillWake_WakesOnceWhenEnoughAreQueued()
    {
        var queue = Queue(1000);
        Assert.False(queue.ArmFillWake(3));

        queue.TryEnqueue(Event());
        queue.TryEnqueue(Event());
        Assert.Equal(0, _wakes);
        queue.TryEnqueue(Event());
        queue.TryEnqueue(Event());

        Assert.Equal(1, _wakes); // the third filled it; the fourth finds it disarmed
    }

    [Fact]
    public void FillWake_AlreadyEnough_SaysSoWithoutWaking()
    {
        var queue = Queue(1000);
        queue.TryEnqueue(Event());
        queue.TryEnqueue(Event());

        Assert.True(queue.ArmFillWake(2));
        queue.DisarmFillWake();
        queue.TryEnqueue(Event());

        Assert.Equal(0, _wakes);
    }

    [Fact]
    public void Enqueue_CountsTheEventForFlush()
    {
        var queue = Queue(10);

        queue.TryEnqueue(Event());

        var done = _flush.Register();
        Assert.NotNull(done);
        _flush.Resolve(1);
        Assert.True(done.IsCompleted);
    }

    [Fact]
    public async Task ManyProducers_NeverPastTheBound_EveryEventAccountedFor()
    {
        var queue = Queue(5_000);
        var accepted = 0;
        var refused = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                if (queue.TryEnqueue(Event()) is null)
                    Interlocked.Increment(ref accepted);
                else
                    Interlocked.Increment(ref refused);
            }
        })));

        Assert.Equal(5_000, accepted);
        Assert.Equal(3_000, refused);
        var taken = 0;
        while (queue.TryDequeue(out _))
            taken++;
        Assert.Equal(5_000, taken);
        Assert.Equal(0, queue.Length);
    }

    private EventQueue Queue(int maxSize) => new(maxSize, _flush, () => Interlocked.Increment(ref _wakes));

    private static ThriveStackEvent Event(string name = "report_exported") => new(name, "u1");
}
