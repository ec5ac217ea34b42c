using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The collecting loop alone, on a fake clock: when a batch is made, and where it goes.</summary>
public sealed class BatchCollectorTests : IAsyncDisposable
{
    private readonly DispatchRig _rig = new(new ThriveStackOptions { BatchSize = 3, MaxQueueSize = 100, MaxBatchBytes = 4096 });
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            _rig.Queue.Complete();
            _rig.Stop.Cancel();
            _rig.CollectorWake.Set();
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        _rig.Dispose();
    }

    [Fact]
    public async Task FullByCount_HandedOverAtOnce()
    {
        Start();

        _rig.Enqueue(3);

        var batch = await TakeHandedOverAsync();
        Assert.Equal(3, batch.Count);
        Assert.Equal(0, _rig.Backlog.Backlog.Count);
    }

    [Fact]
    public async Task Partial_WaitsForTheFlushInterval_CountedFromItsFirstEvent()
    {
        Start(TimeSpan.FromSeconds(5));
        _rig.Enqueue(1);
        await _rig.Time.AdvanceAsync(TimeSpan.FromSeconds(3));
        _rig.Enqueue(1);
        await _rig.Time.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.False(_rig.Handoff.HasBatch);

        await _rig.Time.AdvanceAsync(TimeSpan.FromSeconds(1));

        var batch = await TakeHandedOverAsync();
        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public async Task Partial_FlushAsked_SentWithoutWaiting()
    {
        Start(TimeSpan.FromHours(1));
        _rig.Enqueue(1);
        await Task.Delay(30);
        _rig.Flush.Accepted();
        _ = _rig.Flush.Register();

        _rig.CollectorWake.Set();

        Assert.Equal(1, (await TakeHandedOverAsync()).Count);
    }

    [Fact]
    public async Task DeliveryPaused_BatchGoesToTheBacklog()
    {
        _rig.Gate.Backoff();
        Start();

        _rig.Enqueue(3);

        await Wait.UntilAsync(() => _rig.Backlog.Backlog.Count == 3);
        Assert.False(_rig.Handoff.HasBatch);
    }

    [Fact]
    public async Task SlotTaken_KeepsTheBatch_UntilTheQueuePassesHalf_ThenSpills()
    {
        Start();
        _rig.Enqueue(3);
        await Wait.UntilAsync(() => _rig.Handoff.HasBatch); // the slot is taken, and nobody takes it
        _rig.Enqueue(3);
        await Task.Delay(50);
        Assert.Equal(0, _rig.Backlog.Backlog.Count); // held while the queue is below its high-water mark

        _rig.Enqueue(50); // the mark is 50 of 100

        await Wait.UntilAsync(() => _rig.Backlog.Backlog.Count >= 3);
    }

    [Fact]
    public async Task SlotFreed_WaitingCollectorHandsOverTheNext()
    {
        Start();
        _rig.Enqueue(6);
        var first = await TakeHandedOverAsync();

        var second = await TakeHandedOverAsync();

        Assert.Equal((3, 3), (first.Count, second.Count));
    }

    [Fact]
    public async Task EventLargerThanABatch_DroppedAsTooLarge_OthersGoOn()
    {
        Start();

        _rig.Enqueue(4, i => i == 1
            ? new ThriveStackEvent("report_exported", "u1") { Properties = new() { ["blob"] = new string('x', 5000) } }
            : new ThriveStackEvent("report_exported", "u" + i));

        Assert.Equal(3, (await TakeHandedOverAsync()).Count);
        Assert.Equal(1, _rig.DroppedFor(DropReasons.TooLarge));
    }

    [Fact]
    public async Task LargeBatch_EventsTakenFromTheQueueInSteps_NotOneByOne_NorOnlyWhenTheBatchCanFill()
    {
        using var rig = new DispatchRig(new ThriveStackOptions { BatchSize = 500, MaxQueueSize = 10_000 });
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = rig.Collector(TimeSpan.FromHours(1));
        var loop = Task.Run(() => collector.RunAsync(() => ended.TrySetResult()));
        try
        {
            rig.Enqueue(1); // the batch's first event
            await Wait.UntilAsync(() => rig.Queue.Length == 0);

            rig.Enqueue(BatchCollector.CollectStep - 1);
            await Task.Delay(50);
            Assert.Equal(BatchCollector.CollectStep - 1, rig.Queue.Length); // not woken for every event

            rig.Enqueue(1);
            await Wait.UntilAsync(() => rig.Queue.Length == 0); // a step's worth: taken into the batch
            Assert.False(rig.Handoff.HasBatch); // which is still filling

            rig.Enqueue(500 - 1 - BatchCollector.CollectStep);
            PendingBatch? batch = null;
            await Wait.UntilAsync(() => rig.Handoff.TryTake(out batch));
            using (batch)
                Assert.Equal(500, batch!.Count);
        }
        finally
        {
            rig.Queue.Complete();
            rig.Stop.Cancel();
            rig.CollectorWake.Set();
            await loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Stop_WhatIsLeftGoesToTheBacklog_AndTheLoopSaysItEnded()
    {
        _rig.Gate.Backoff(); // nothing is handed over
        Start(TimeSpan.FromHours(1));
        _rig.Enqueue(2);
        await Task.Delay(30);

        _rig.Stop.BeginStopping();
        _rig.Queue.Complete();
        _rig.CollectorWake.Set();

        await _ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _rig.Backlog.Backlog.Count);
    }

    [Fact]
    public void DropQueued_CountsEveryQueuedEvent()
    {
        var collector = _rig.Collector();
        _rig.Enqueue(4);

        collector.DropQueued(DropReasons.Shutdown);

        Assert.Equal(4, _rig.DroppedFor(DropReasons.Shutdown));
        Assert.Equal(0, _rig.Queue.Length);
    }

    private void Start(TimeSpan? flushInterval = null)
    {
        var collector = _rig.Collector(flushInterval);
        _loop = Task.Run(() => collector.RunAsync(() => _ended.TrySetResult()));
    }

    private async Task<PendingBatch> TakeHandedOverAsync()
    {
        PendingBatch? batch = null;
        await Wait.UntilAsync(() => _rig.Handoff.TryTake(out batch));
        return batch!;
    }
}
