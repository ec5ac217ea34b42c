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

    [Fact]
    public async Task WaitToRead_TrueWithEvents_FalseOnlyOnceCompletedAndEmpty()
    {
        var queue = Queue(10);
        queue.TryEnqueue(Event());
        queue.Complete();

        Assert.True(await queue.WaitToReadAsync(CancellationToken.None)); // completed, but one is still there
        Assert.True(queue.TryDequeue(out _));
        Assert.False(await queue.WaitToReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WaitToRead_Cancelled_Throws()
    {
        var queue = Queue(10);
        using var cancel = new CancellationTokenSource();

        var wait = queue.WaitToReadAsync(cancel.Token).AsTask();
        Assert.False(wait.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    /// <summary>The reader waits on an empty queue and a producer on another thread adds one event, many times over: no wake-up may be lost.</summary>
    [Fact]
    public async Task WaitingReader_IsWokenByEveryFirstEvent()
    {
        var queue = Queue(10);
        for (var round = 0; round < 5_000; round++)
        {
            var wait = queue.WaitToReadAsync(CancellationToken.None).AsTask();
            var producer = Task.Run(() => queue.TryEnqueue(Event()));

            // A hang guard, not a timing: a lost wake-up would wait for ever.
            Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(30)), $"round {round}");
            await producer;
            Assert.True(queue.TryDequeue(out _));
        }
    }

    /// <summary>A producer counted in before <see cref="EventQueue.Complete"/> but not yet done queuing: the reader waits for its event.</summary>
    [Fact]
    public async Task CompleteWhileAProducerIsQueuing_TheReaderWaitsForItsEvent()
    {
        var queue = Queue(10);
        using var counted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        queue.BeforeEnqueue = () =>
        {
            counted.Set();
            release.Wait();
        };
        var producer = Task.Run(() => queue.TryEnqueue(Event()));
        counted.Wait();

        queue.Complete();
        var wait = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        await Task.Delay(50); // give a wrong reader the time to answer false
        Assert.False(wait.IsCompleted);
        release.Set();

        Assert.Null(await producer); // accepted
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(queue.TryDequeue(out _));
        Assert.False(await queue.WaitToReadAsync(CancellationToken.None));
    }

    /// <summary>
    /// Producers race <see cref="EventQueue.Complete"/>: every event accepted is read before the reader is told the
    /// queue is done, and none after. A producer that counted itself in before the queue completed is waited for.
    /// </summary>
    [Fact]
    public async Task CompleteWhileProducing_EveryAcceptedEventIsRead()
    {
        for (var round = 0; round < 200; round++)
        {
            var queue = Queue(1_000_000);
            var accepted = 0;
            var read = 0;
            var reader = Task.Run(async () =>
            {
                while (await queue.WaitToReadAsync(CancellationToken.None))
                {
                    while (queue.TryDequeue(out _))
                        read++;
                }
            });
            var producers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < 300; i++)
                {
                    if (queue.TryEnqueue(Event()) is null)
                        Interlocked.Increment(ref accepted);
                }
            })).ToArray();
            await Task.Delay(round % 3); // complete early, midway or late in the producers' run
            queue.Complete();

            await Task.WhenAll(producers);
            await reader.WaitAsync(TimeSpan.FromSeconds(30)); // a hang guard
            Assert.Equal(accepted, read);
            Assert.Equal(0, queue.Length);
        }
    }

    private EventQueue Queue(int maxSize) => new(maxSize, _flush, () => Interlocked.Increment(ref _wakes));

    private static ThriveStackEvent Event(string name = "report_exported") => new(name, "u1");
}
