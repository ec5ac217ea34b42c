using Microsoft.Data.Sqlite;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The spool's own rules (what it shares with the memory backlog is in <see cref="BacklogTests"/>, its faults in <see cref="SpoolFaultTests"/>).</summary>
public sealed class SqliteSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "autotrack-sqlitespool-" + Guid.NewGuid().ToString("N"));

    private string SpoolPath => Path.Combine(_dir, "spool.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Events_OutliveTheProcessThatWroteThem_WithTheirNamesAndSizes()
    {
        using (var spool = SqliteSpool.Open(SpoolPath, 1_000_000))
        {
            using var events = TestBatches.Numbered(0, 5);
            spool.Append(events, 0, 5);
            Assert.True(spool.IsDurable);
        }

        using var reopened = SqliteSpool.Open(SpoolPath, 1_000_000);
        using var read = reopened.ReadOldest(100, 100_000);

        Assert.Equal((5L, 45L), (reopened.Count, reopened.Bytes));
        Assert.Equal(TestBatches.Range(0, 5), TestBatches.Numbers(read));
        Assert.Equal("e3", read.Name(3));
        Assert.Equal(0, reopened.DropVolatile()); // nothing it holds is lost with the process
    }

    [Fact]
    public void Remove_Delivered_GoneForGood_AndCountedOnce()
    {
        using (var spool = SqliteSpool.Open(SpoolPath, 1_000_000))
        {
            using var events = TestBatches.Numbered(0, 5);
            spool.Append(events, 0, 5);
            using var read = spool.ReadOldest(3, 100_000);

            Assert.Equal(3, spool.Remove(read.Id(0), read.Id(2)));
            Assert.Equal(0, spool.Remove(read.Id(0), read.Id(2))); // a second remove of the same rows counts nothing
            spool.Release();
        }

        using var reopened = SqliteSpool.Open(SpoolPath, 1_000_000);
        using var rest = reopened.ReadOldest(100, 100_000);
        Assert.Equal(TestBatches.Range(3, 2), TestBatches.Numbers(rest));
    }

    [Fact]
    public void Append_OverTheByteBound_OldestRowsGo()
    {
        using var spool = SqliteSpool.Open(SpoolPath, maxBytes: 9 * 3);

        using var events = TestBatches.Numbered(0, 5);
        var evicted = spool.Append(events, 0, 5);

        Assert.Equal(2, evicted);
        using var read = spool.ReadOldest(100, 100_000);
        Assert.Equal(TestBatches.Range(2, 3), TestBatches.Numbers(read));
    }

    [Fact]
    public void AfterDispose_Refuses_AndReleasesTheLock()
    {
        var spool = SqliteSpool.Open(SpoolPath, 1_000);
        spool.Dispose();
        spool.Dispose();

        using var events = TestBatches.Numbered(0, 1);
        Assert.Throws<ObjectDisposedException>(() => spool.Append(events, 0, 1));
        using var next = SqliteSpool.Open(SpoolPath, 1_000);
    }
}
