using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>Both backlogs (memory and the SQLite spool) through their shared contract.</summary>
public sealed class BacklogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds => new() { "memory", "spool" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Append_OverTheBound_OldestGoFirst(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);

        var evicted = backlog.Append(TestBatches.Numbered(0, 15), 0, 15);

        Assert.Equal(5, evicted);
        Assert.Equal(10, backlog.Count);
        using var oldest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(TestBatches.Range(5, 10), TestBatches.Numbers(oldest));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Append_OverTheBoundWhileABatchIsInFlight_InFlightEventsNotEvicted(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);
        backlog.Append(TestBatches.Numbered(0, 10), 0, 10);
        using var inFlight = backlog.ReadOldest(4, 1024 * 1024);

        var evicted = backlog.Append(TestBatches.Numbered(10, 6), 0, 6);

        // The 4 in flight stay (they are being sent and will be counted as sent); the next-oldest 6 go instead.
        Assert.Equal(6, evicted);
        Assert.Equal(4, backlog.Remove(inFlight.Id(0), inFlight.Id(3)));
        backlog.Release();
        using var rest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(TestBatches.Range(10, 6), TestBatches.Numbers(rest));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReadOldest_AgainBeforeRelease_ReadsTheNextOldest_AndNeitherBatchIsEvicted(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);
        backlog.Append(TestBatches.Numbered(0, 10), 0, 10);

        using var first = backlog.ReadOldest(3, 1024 * 1024);
        using var second = backlog.ReadOldest(3, 1024 * 1024);
        var evicted = backlog.Append(TestBatches.Numbered(10, 5), 0, 5);

        Assert.Equal(TestBatches.Range(0, 3), TestBatches.Numbers(first));
        Assert.Equal(TestBatches.Range(3, 3), TestBatches.Numbers(second));
        Assert.Equal(5, evicted); // back to 10: the oldest not in flight go (6..10); the six in flight stay
        backlog.Release();
        using var all = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(TestBatches.Range(0, 6).Concat(TestBatches.Range(11, 4)), TestBatches.Numbers(all));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Release_ThenOverTheBound_FormerlyInFlightEventsEvictedAgain(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);
        backlog.Append(TestBatches.Numbered(0, 10), 0, 10);
        backlog.ReadOldest(4, 1024 * 1024).Dispose();
        backlog.Release(); // the send failed: the events stay, and the bound may take them again

        backlog.Append(TestBatches.Numbered(10, 2), 0, 2);

        using var oldest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(TestBatches.Range(2, 10), TestBatches.Numbers(oldest));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Defer_MovesTheEventBehindTheOthers_CountsAFailureOnlyWhenAsked(string kind)
    {
        using var backlog = Open(kind, maxEvents: 100, maxBytes: 1024 * 1024);
        backlog.Append(TestBatches.Numbered(0, 3), 0, 3);
        long first;
        using (var head = backlog.ReadOldest(1, 1024 * 1024))
            first = head.Id(0);
        backlog.Release();

        var (movedOnce, failuresOnce) = backlog.Defer(first, countFailure: false);
        var (movedTwice, failuresTwice) = backlog.Defer(movedOnce, countFailure: true);

        Assert.Equal(0, failuresOnce);
        Assert.Equal(1, failuresTwice);
        Assert.True(movedTwice > movedOnce && movedOnce > first);
        Assert.Equal(3, backlog.Count);
        using var all = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal([1, 2, 0], TestBatches.Numbers(all));
        Assert.Equal((0L, 0), backlog.Defer(first, countFailure: true)); // no longer there under its old id
    }

    [Fact]
    public void Open_SpoolFromVersion1_KeepsItsEventsAndCountsFailures()
    {
        var path = Path.Combine(_directory, "v1.db");
        Directory.CreateDirectory(_directory);
        using (var v1 = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            v1.Open();
            using var create = v1.CreateCommand();
            create.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB NOT NULL); " +
                "INSERT INTO events (name, body) VALUES ('e0', CAST('{\"s\":  0}' AS BLOB)); PRAGMA user_version=1;";
            create.ExecuteNonQuery();
        }

        using var spool = SqliteSpool.Open(path, 1024 * 1024);

        Assert.Equal(1, spool.Count);
        Assert.Equal(1, spool.Defer(1, countFailure: true).Failures);
        using var batch = spool.ReadOldest(10, 1024 * 1024);
        Assert.Equal([0], TestBatches.Numbers(batch));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private IEventBacklog Open(string kind, long maxEvents, long maxBytes)
        => kind == "memory"
            ? new MemoryBacklog(maxEvents, maxBytes)
            // The spool is bounded by bytes only: each test event is 9 bytes, so 10 events are 90 bytes.
            : SqliteSpool.Open(Path.Combine(_directory, "spool.db"), maxEvents * 9);
}
