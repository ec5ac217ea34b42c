using System.Text;
using ThriveStack.AutoTrack.Dispatch;

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

        var evicted = backlog.Append(Batch(0, 15), 0, 15);

        Assert.Equal(5, evicted);
        Assert.Equal(10, backlog.Count);
        using var oldest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(Seqs(5, 10), Read(oldest));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Append_OverTheBoundWhileABatchIsInFlight_InFlightEventsNotEvicted(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);
        backlog.Append(Batch(0, 10), 0, 10);
        using var inFlight = backlog.ReadOldest(4, 1024 * 1024);

        var evicted = backlog.Append(Batch(10, 6), 0, 6);

        // The 4 in flight stay (they are being sent and will be counted as sent); the next-oldest 6 go instead.
        Assert.Equal(6, evicted);
        Assert.Equal(4, backlog.Remove(inFlight.Id(0), inFlight.Id(3)));
        backlog.Release();
        using var rest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(Seqs(10, 6), Read(rest));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Release_ThenOverTheBound_FormerlyInFlightEventsEvictedAgain(string kind)
    {
        using var backlog = Open(kind, maxEvents: 10, maxBytes: 1024 * 1024);
        backlog.Append(Batch(0, 10), 0, 10);
        backlog.ReadOldest(4, 1024 * 1024).Dispose();
        backlog.Release(); // the send failed: the events stay, and the bound may take them again

        backlog.Append(Batch(10, 2), 0, 2);

        using var oldest = backlog.ReadOldest(100, 1024 * 1024);
        Assert.Equal(Seqs(2, 10), Read(oldest));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private IEventBacklog Open(string kind, long maxEvents, long maxBytes)
        => kind == "memory"
            ? new MemoryBacklog(maxEvents, maxBytes)
            // The spool is bounded by bytes only: each test event is 9 bytes, so 10 events are 90 bytes.
            : SqliteSpool.Open(Path.Combine(_directory, "spool.db"), maxEvents * 9);

    private static PendingBatch Batch(int first, int count)
    {
        var batch = new PendingBatch();
        for (var i = first; i < first + count; i++)
            batch.Add(Encoding.UTF8.GetBytes($"{{\"s\":{i,3}}}"), "e" + i);
        return batch;
    }

    private static List<int> Read(PendingBatch batch)
        => Enumerable.Range(0, batch.Count).Select(i => int.Parse(Encoding.UTF8.GetString(batch.Json(i))[5..8], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static List<int> Seqs(int first, int count) => Enumerable.Range(first, count).ToList();
}
