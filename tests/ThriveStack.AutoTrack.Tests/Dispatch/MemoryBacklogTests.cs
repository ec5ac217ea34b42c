using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The memory backlog's own rules (what it shares with the spool is in <see cref="BacklogTests"/>).</summary>
public class MemoryBacklogTests
{
    [Fact]
    public void Append_OverTheByteBound_OldestGo()
    {
        using var backlog = new MemoryBacklog(maxEvents: 1_000, maxBytes: 9 * 4); // the test events are 9 bytes each

        using var events = TestBatches.Numbered(0, 6);
        var evicted = backlog.Append(events, 0, 6);

        Assert.Equal(2, evicted);
        Assert.Equal((4L, 36L), (backlog.Count, backlog.Bytes));
        using var oldest = backlog.ReadOldest(100, 1_000);
        Assert.Equal(TestBatches.Range(2, 4), TestBatches.Numbers(oldest));
    }

    [Fact]
    public void Ids_StartWhereTheOwnerSays()
    {
        using var backlog = new MemoryBacklog(100, 10_000, firstId: 1_000_001);

        using var events = TestBatches.Numbered(0, 2);
        backlog.Append(events, 0, 2);
        using var read = backlog.ReadOldest(10, 10_000);

        Assert.Equal([1_000_001L, 1_000_002L], [read.Id(0), read.Id(1)]);
        Assert.True(read.FromBacklog);
    }

    [Fact]
    public void ReadOldest_StopsBeforeTheBodyLimit_ButAlwaysTakesOne()
    {
        using var backlog = new MemoryBacklog(100, 10_000);
        using var events = TestBatches.Numbered(0, 5);
        backlog.Append(events, 0, 5);

        using var three = backlog.ReadOldest(100, maxBodyBytes: 1 + (3 * 10)); // '[' and three events with their separators
        backlog.Release();
        using var one = backlog.ReadOldest(100, maxBodyBytes: 1);

        Assert.Equal(3, three.Count);
        Assert.Equal(1, one.Count);
    }

    [Fact]
    public void DropVolatile_EmptiesIt_AndSaysHowMany()
    {
        using var backlog = new MemoryBacklog(100, 10_000);
        using var events = TestBatches.Numbered(0, 7);
        backlog.Append(events, 0, 7);

        Assert.False(backlog.IsDurable);
        Assert.Equal(7, backlog.DropVolatile());
        Assert.Equal((0L, 0L), (backlog.Count, backlog.Bytes));
    }
}
