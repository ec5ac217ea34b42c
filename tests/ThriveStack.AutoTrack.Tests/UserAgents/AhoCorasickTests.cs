using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

/// <summary>The prefilter's automaton against the obvious search (every pattern looked for with IndexOf), case-blind.</summary>
public class AhoCorasickTests
{
    [Fact]
    public void OverlappingPatterns_AllFound_WithWhereEachFirstEnds()
    {
        var automaton = new AhoCorasick([("he", 0), ("She", 1), ("his", 2), ("hers", 3), ("Hers", 4)]);

        var (found, firstEnd) = Scan(automaton, "USHERS and his", ids: 5);

        Assert.Equal([0, 1, 3, 4, 2], found);             // "he" inside "she", "hers" twice under two ids, "his"
        Assert.Equal((4, 4, 6, 6, 14), (firstEnd[0], firstEnd[1], firstEnd[3], firstEnd[4], firstEnd[2]));
    }

    [Fact]
    public void SharedIds_AndRepeatedPatterns_SetOneBit()
    {
        var automaton = new AhoCorasick([("chrome", 7), ("crios", 7), ("chrome", 7), ("", 8)]);

        var (found, firstEnd) = Scan(automaton, "Mozilla CriOS/131", ids: 9);

        Assert.Equal([7], found.Where(id => id != 8));
        Assert.Equal(13, firstEnd[7]);
    }

    [Fact]
    public void NonAsciiPatternCharacters_Folded()
    {
        var automaton = new AhoCorasick([("straße", 0), ("ÉTÉ", 1)]);

        Assert.Equal([0, 1], Scan(automaton, "STRASSE Straße été", ids: 2).Found);
    }

    [Fact]
    public void RandomPatternsAndTexts_MatchTheObviousSearch()
    {
        var random = new Random(20261201); // fixed: a failure reproduces
        const string Alphabet = "abcAB/ .";
        string Word(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        for (var round = 0; round < 200; round++)
        {
            var patterns = Enumerable.Range(0, random.Next(1, 40)).Select(i => (Word(1, 6), random.Next(0, 30))).ToList();
            var automaton = new AhoCorasick(patterns);
            for (var t = 0; t < 20; t++)
            {
                var text = Word(0, 60);
                var (found, firstEnd) = Scan(automaton, text, ids: 30);

                var lower = text.ToLowerInvariant();
                var expected = new Dictionary<int, int>();
                foreach (var (pattern, id) in patterns)
                {
                    var at = lower.IndexOf(pattern.ToLowerInvariant(), StringComparison.Ordinal);
                    if (at >= 0)
                        expected[id] = Math.Min(expected.GetValueOrDefault(id, int.MaxValue), at + pattern.Length);
                }
                Assert.Equal(expected.Keys.Order(), found.Order());
                Assert.All(expected, e => Assert.Equal(e.Value, firstEnd[e.Key]));
            }
        }
    }

    private static (List<int> Found, int[] FirstEnd) Scan(AhoCorasick automaton, string text, int ids)
    {
        var bits = new ulong[(ids + 63) / 64];
        var firstEnd = new int[ids];
        automaton.Scan(text, bits, firstEnd);
        var order = Enumerable.Range(0, ids).Where(id => (bits[id >> 6] & (1UL << (id & 63))) != 0).OrderBy(id => firstEnd[id]).ThenBy(id => id).ToList();
        return (order, firstEnd);
    }
}
