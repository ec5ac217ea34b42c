using System.Globalization;
using System.Text;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>Tiny numbered events (<c>{"s":  7}</c>, 9 bytes each) for the backlog tests, and reading them back.</summary>
internal static class TestBatches
{
    /// <summary>Events numbered <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public static PendingBatch Numbered(int first, int count)
    {
        var batch = new PendingBatch();
        for (var i = first; i < first + count; i++)
            batch.Add(Encoding.UTF8.GetBytes($"{{\"s\":{i,3}}}"), "e" + i);
        return batch;
    }

    /// <summary>The numbers of a batch's events, in order.</summary>
    public static List<int> Numbers(PendingBatch batch)
        => Enumerable.Range(0, batch.Count).Select(i => int.Parse(Encoding.UTF8.GetString(batch.Json(i))[5..8], CultureInfo.InvariantCulture)).ToList();

    public static List<int> Range(int first, int count) => Enumerable.Range(first, count).ToList();
}
