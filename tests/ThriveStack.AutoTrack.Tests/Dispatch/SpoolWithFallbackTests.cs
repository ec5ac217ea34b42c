using System.Text;
using Microsoft.Data.Sqlite;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The spool and its memory fallback when the spool cannot be written (read-only, full), on a real SQLite file.</summary>
public sealed class SpoolWithFallbackTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"));
    private readonly List<Exception> _failures = [];

    [Fact]
    public void SpoolReadOnly_NewEventsWaitInMemory_OldestStillFirst_DeliveredRowsNeverReadAgain()
    {
        using var backlog = Open();
        backlog.Append(TestBatches.Numbered(0, 5), 0, 5);
        Pragma(backlog, "query_only = 1"); // every write fails with SQLITE_READONLY from now on

        backlog.Append(TestBatches.Numbered(5, 5), 0, 5);

        Assert.Equal(10, backlog.Count);
        Assert.False(backlog.IsDurable);
        var failure = Assert.IsType<SqliteException>(Assert.Single(_failures));
        Assert.Equal(8, failure.SqliteErrorCode); // SQLITE_READONLY

        // The spool's events go first; their delete fails, yet they are settled and never read again.
        using (var first = backlog.ReadOldest(100, 1 << 20))
        {
            Assert.Equal(TestBatches.Range(0, 5), TestBatches.Numbers(first));
            Assert.Equal(5, backlog.Remove(first.Id(0), first.Id(4)));
            backlog.Release();
        }
        Assert.Equal(2, _failures.Count);
        Assert.Equal(5, backlog.Count);
        using (var second = backlog.ReadOldest(100, 1 << 20))
        {
            Assert.Equal(TestBatches.Range(5, 5), TestBatches.Numbers(second));
            Assert.Equal(5, backlog.Remove(second.Id(0), second.Id(4)));
            backlog.Release();
        }
        Assert.Equal(0, backlog.Count);
        Assert.True(backlog.IsDurable);
    }

    [Fact]
    public void SpoolWritableAgain_SettledRowsDeleted_NewEventsDurableAgain()
    {
        using var backlog = Open();
        backlog.Append(TestBatches.Numbered(0, 5), 0, 5);
        Pragma(backlog, "query_only = 1");
        using (var batch = backlog.ReadOldest(100, 1 << 20))
            backlog.Remove(batch.Id(0), batch.Id(4));
        backlog.Release();
        Pragma(backlog, "query_only = 0");

        backlog.Append(TestBatches.Numbered(5, 3), 0, 3);

        Assert.True(backlog.IsDurable);
        Assert.Equal(3, backlog.Count);
        Assert.Equal(3L, Scalar(backlog, "SELECT COUNT(*) FROM events")); // the settled rows are gone from the file
        using var rest = backlog.ReadOldest(100, 1 << 20);
        Assert.Equal(TestBatches.Range(5, 3), TestBatches.Numbers(rest));
    }

    [Fact]
    public void MemoryHoldsEvents_SpoolWritableAgain_MemoryDrainsBeforeTheSpoolTakesMore()
    {
        using var backlog = Open();
        Pragma(backlog, "query_only = 1");
        backlog.Append(TestBatches.Numbered(0, 3), 0, 3); // memory
        Pragma(backlog, "query_only = 0");

        backlog.Append(TestBatches.Numbered(3, 3), 0, 3); // still memory: the spool would put these before older ones

        Assert.Equal(0, backlog.Spool.Count);
        using var all = backlog.ReadOldest(100, 1 << 20);
        Assert.Equal(TestBatches.Range(0, 6), TestBatches.Numbers(all));
        Assert.Equal(6, backlog.Remove(all.Id(0), all.Id(5)));
        backlog.Release();

        backlog.Append(TestBatches.Numbered(6, 1), 0, 1);
        Assert.Equal(1, backlog.Spool.Count); // memory empty: durable again
    }

    [Fact]
    public void SpoolFull_DatabaseOrDiskIsFull_EventsWaitInMemory()
    {
        using var backlog = Open();
        backlog.Append(TestBatches.Numbered(0, 1), 0, 1);
        var pages = Scalar(backlog, "PRAGMA page_count");
        Pragma(backlog, $"max_page_count = {pages}"); // SQLite's own "database or disk is full" (SQLITE_FULL)
        var big = new PendingBatch();
        for (var i = 0; i < 200; i++)
            big.Add(Encoding.UTF8.GetBytes($"{{\"s\":{i,3},\"filler\":\"{new string('x', 400)}\"}}"), "e" + i);

        backlog.Append(big, 0, 200);

        Assert.Equal(13, Assert.IsType<SqliteException>(Assert.Single(_failures)).SqliteErrorCode);
        Assert.Equal(201, backlog.Count);
        Assert.Equal(1, backlog.Spool.Count); // the failed transaction left nothing half-written
    }

    private string SpoolPath => Path.Combine(_directory, "spool.db");

    private SpoolWithFallback OpenDeferred() => SpoolWithFallback.Open(SpoolPath, 10_000, 64L * 1024 * 1024, _failures.Add);

    [Fact]
    public void Fresh_LockTakenAtOnce_DatabaseOnlyWhenTheFirstEventsNeedIt()
    {
        using (var backlog = OpenDeferred())
        {
            Assert.False(backlog.IsOpen);
            Assert.False(File.Exists(SpoolPath));
            Assert.ThrowsAny<IOException>(OpenDeferred); // the location is ours from the start

            backlog.Append(TestBatches.Numbered(0, 3), 0, 3);

            Assert.True(backlog.IsOpen);
            Assert.True(backlog.IsDurable);
            Assert.Equal(3, backlog.Count);
        }

        using var next = OpenDeferred(); // an earlier run left events: opened at once, and they go first
        Assert.True(next.IsOpen);
        using var read = next.ReadOldest(100, 1 << 20);
        Assert.Equal(TestBatches.Range(0, 3), TestBatches.Numbers(read));
        Assert.Empty(_failures);
    }

    [Fact]
    public void EmptyWhenClosed_TheDatabaseGoes_AndTheNextRunDoesNotOpenOne()
    {
        using (var backlog = OpenDeferred())
        {
            backlog.Append(TestBatches.Numbered(0, 2), 0, 2);
            using var read = backlog.ReadOldest(100, 1 << 20);
            Assert.Equal(2, backlog.Remove(read.Id(0), read.Id(1)));
            backlog.Release();
        }

        Assert.False(File.Exists(SpoolPath));
        Assert.False(File.Exists(SpoolPath + "-wal"));
        using var next = OpenDeferred();
        Assert.False(next.IsOpen);
    }

    [Fact]
    public void DatabaseCannotBeOpenedWhenNeeded_EventsWaitInMemory_TheFailureReported()
    {
        using var backlog = OpenDeferred();
        Directory.CreateDirectory(SpoolPath); // something took the database's name: SQLite cannot open it

        backlog.Append(TestBatches.Numbered(0, 4), 0, 4);
        backlog.Append(TestBatches.Numbered(4, 1), 0, 1);

        Assert.Equal(5, backlog.Count);
        Assert.False(backlog.IsDurable);
        Assert.IsType<SqliteException>(Assert.Single(_failures)); // tried once, reported once
        using var read = backlog.ReadOldest(100, 1 << 20);
        Assert.Equal(TestBatches.Range(0, 5), TestBatches.Numbers(read));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private SpoolWithFallback Open()
        => new(SqliteSpool.Open(Path.Combine(_directory, "spool.db"), 64L * 1024 * 1024), 10_000, 64L * 1024 * 1024, _failures.Add);

    private static void Pragma(SpoolWithFallback backlog, string pragma)
    {
        using var command = backlog.Spool.ConnectionForTests.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SpoolWithFallback backlog, string sql)
    {
        using var command = backlog.Spool.ConnectionForTests.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
