using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The backlog writer alone: where parked events go, what is counted, what is logged.</summary>
public sealed class BacklogWriterTests : IDisposable
{
    private readonly DispatchRig _rig = new(new ThriveStackOptions { BatchSize = 3, MaxQueueSize = 10 });

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Park_FreshBatch_GoesToTheBacklog_ResolvedForFlush_SenderWoken()
    {
        for (var i = 0; i < 4; i++)
            _rig.Flush.Accepted();
        var done = _rig.Flush.Register();

        _rig.Backlog.Park(TestBatches.Numbered(0, 4));

        Assert.Equal(4, _rig.Backlog.Backlog.Count);
        Assert.Equal(4, _rig.Spooled.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.True(_rig.SenderWake.IsSet);
        Assert.False(done!.IsCompleted); // resolved, but the backlog still holds them while delivery is open
        _rig.Gate.Backoff();
        _rig.Flush.Release();
        Assert.True(done.IsCompleted); // paused: a flush is done once its events wait in the backlog
    }

    [Fact]
    public void Park_PastTheBound_OldestEvictedAsSpoolFull_Logged()
    {
        _rig.Backlog.Park(TestBatches.Numbered(0, 8));

        _rig.Backlog.Park(TestBatches.Numbered(8, 5));

        Assert.Equal(10, _rig.Backlog.Backlog.Count);
        Assert.Equal(3, _rig.DroppedFor(DropReasons.SpoolFull));
        var line = Assert.Single(_rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.SpoolFull);
        Assert.Contains("count: 3", line.Message, StringComparison.Ordinal);
        using var oldest = _rig.Backlog.Backlog.ReadOldest(1, 1 << 20);
        Assert.Equal([3], TestBatches.Numbers(oldest));
    }

    [Fact]
    public void Park_Part_OnlyThatPart()
    {
        using var batch = TestBatches.Numbered(0, 6);

        _rig.Backlog.Park(batch, 2, 3);

        using var kept = _rig.Backlog.Backlog.ReadOldest(10, 1 << 20);
        Assert.Equal([2, 3, 4], TestBatches.Numbers(kept));
    }

    [Fact]
    public void Park_AfterTheStopDeadline_InMemory_DroppedAsShutdown()
    {
        _rig.Flush.Accepted();
        _rig.Flush.Accepted();
        var done = _rig.Flush.Register();
        _rig.Stop.BeginStopping();
        _rig.Stop.Cancel();

        _rig.Backlog.Park(TestBatches.Numbered(0, 2));

        Assert.Equal(0, _rig.Backlog.Backlog.Count);
        Assert.Equal(2, _rig.DroppedFor(DropReasons.Shutdown));
        Assert.True(done!.IsCompleted);
        Assert.Contains(_rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.QueuedEventsDropped);
    }

    [Fact]
    public void DropVolatileAtStop_MemoryBacklog_CountedAsShutdown()
    {
        _rig.Backlog.Park(TestBatches.Numbered(0, 4));
        _rig.Backlog.DropVolatileAtStop();
        Assert.Equal(0, _rig.DroppedFor(DropReasons.Shutdown)); // not stopping: kept

        _rig.Stop.BeginStopping();
        _rig.Backlog.DropVolatileAtStop();

        Assert.Equal(4, _rig.DroppedFor(DropReasons.Shutdown));
        Assert.Equal(0, _rig.Backlog.Backlog.Count);
    }

    [Fact]
    public void OpenSpool_PathThatCannotBeOpened_StaysInMemory_SaysWhy()
    {
        var options = new ThriveStackOptions { SpoolPath = "/dev/null/spool.db" };
        using var rig = new DispatchRig(options);

        rig.Backlog.OpenSpool(null);

        Assert.False(rig.Backlog.Backlog.IsDurable);
        Assert.Equal("memory", rig.Backlog.Name);
        var line = Assert.Single(rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.SpoolUnavailable);
        Assert.Contains("/dev/null/spool.db", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSpool_HoldsEventsFromAnEarlierRun_SaysHowMany()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"));
        var options = new ThriveStackOptions { SpoolPath = Path.Combine(directory, "spool.db") };
        try
        {
            using (var earlier = new DispatchRig(options))
            {
                earlier.Backlog.OpenSpool(null);
                earlier.Backlog.Park(TestBatches.Numbered(0, 1));
            }
            using var rig = new DispatchRig(options);

            rig.Backlog.OpenSpool(null);

            Assert.True(rig.Backlog.Backlog.IsDurable);
            var line = Assert.Single(rig.Logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.SpoolResumed);
            Assert.Contains("(count: 1)", line.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
