using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

/// <summary>Device and session ids: 128 random bits each, never repeated, from the OS's random source.</summary>
public class VisitorIdsTests
{
    [Fact]
    public async Task NewIds_AreValid_Distinct_AndUniformAcrossThreads()
    {
        const int PerThread = 5000; // more than one 4 KiB pool per thread, so refills are covered
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, PerThread).Select(_ => VisitorIds.NewId()).ToList())));
        var ids = batches.SelectMany(b => b).ToList();

        Assert.All(ids, id => Assert.True(VisitorIds.IsValidId(id), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // 640,000 hex digits: each of the 16 should come up 40,000 times; a source stuck on some bits (a pool not
        // refilled, zeros) is far outside 3 %.
        var counts = ids.SelectMany(id => id).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(16, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 38_800, 41_200));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef", false)] // AutoTrack writes lower case only
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    [InlineData("0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0", false)]
    [InlineData("0123456789abcdef 123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdé1", false)]
    [InlineData("", false)]
    public void IsValidId_OnlyWhatAutoTrackWrites(string value, bool valid) => Assert.Equal(valid, VisitorIds.IsValidId(value));
}
