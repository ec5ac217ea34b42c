using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

/// <summary>
/// The compiled rule table the library embeds and reads at startup (<c>Data/regexes.table</c>): current with the vendored
/// rules, read back to the same table, and refused when damaged.
/// </summary>
public class RuleTableTests
{
    [Fact]
    public void EmbeddedTable_IsWhatTheCompilerMakesOfTheVendoredRules()
    {
        var compiled = Bytes(UapRuleSet.Compile(UapFixtures.RulesJson()));

        Assert.True(compiled.AsSpan().SequenceEqual(EmbeddedBytes()),
            "Data/regexes.table is not what the compiler makes of Data/regexes.json: run scripts/update-uap-core.sh, or "
            + "dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- uap-table "
            + "src/ThriveStack.AutoTrack/UserAgents/Data/regexes.json src/ThriveStack.AutoTrack/UserAgents/Data/regexes.table");
    }

    [Fact]
    public void Table_ReadBack_IsTheSameTable()
    {
        var compiled = UapRuleSet.Compile(UapFixtures.RulesJson());
        var bytes = Bytes(compiled);

        var read = UapRuleSet.ReadFrom(new MemoryStream(bytes));

        Assert.Equal(bytes, Bytes(read));
        Assert.Equal(compiled.Automaton.TableBytes, read.Automaton.TableBytes);
        Assert.Equal((compiled.Rules.Length, compiled.OsStart, compiled.DeviceStart, compiled.ClauseCount),
            (read.Rules.Length, read.OsStart, read.DeviceStart, read.ClauseCount));
    }

    [Fact]
    public void TheAutomaton_ReadBack_FindsWhatTheBuiltOneFinds()
    {
        // Rebuilt from its trie edges on reading: the filled-in transitions must come out as the builder made them.
        var random = new Random(20261201);
        for (var round = 0; round < 50; round++)
        {
            var patterns = Enumerable.Range(0, random.Next(1, 40))
                .Select(i => (new string([.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => "abcKé/ "[random.Next(7)])]), i % 13))
                .ToList();
            var built = new AhoCorasick(patterns);
            var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                built.WriteTo(writer);
            stream.Position = 0;
            var read = AhoCorasick.ReadFrom(new BinaryReader(stream));

            for (var text = 0; text < 20; text++)
            {
                var input = new string([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => "abcKkÉé/ x"[random.Next(10)])]);
                Assert.Equal(Scan(built, input), Scan(read, input));
            }
        }
    }

    [Fact]
    public void TheAutomaton_HoldsItsTrieEdges_NotAFullTable()
    {
        // Every app holds this table for its lifetime: a full state-by-character table was 1.08 MB (9,867 states by 56
        // characters); the edges packed, with failure links, take about a tenth of that.
        var automaton = UapRuleSet.ReadFrom(new MemoryStream(EmbeddedBytes())).Automaton;

        Assert.InRange(automaton.TableBytes, 1, 12 * automaton.StateCount);
    }

    [Fact]
    public void TheAutomaton_WithAStateReachedTwice_IsRefused()
    {
        var built = new AhoCorasick([("ab", 0), ("cd", 1)]); // states: root, a, ab, c, cd
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            built.WriteTo(writer);
        var bytes = stream.ToArray();
        // The edges follow the 128 class bytes, the non-ASCII count, the class count, the state count and the edge
        // count: each is an int entry and a ushort child. Point the last edge at the first edge's child.
        var edges = 128 + 4 + 4 + 4 + 4;
        var firstChild = BitConverter.ToUInt16(bytes, edges + 4);
        BitConverter.TryWriteBytes(bytes.AsSpan(edges + 3 * 6 + 4), firstChild);

        Assert.Throws<InvalidDataException>(() => AhoCorasick.ReadFrom(new BinaryReader(new MemoryStream(bytes))));
    }

    [Theory]
    [InlineData(0)]   // the magic
    [InlineData(4)]   // the format version
    public void DamagedHeader_IsRefused(int offset)
    {
        var bytes = EmbeddedBytes();
        bytes[offset] ^= 0xFF;

        Assert.Throws<InvalidDataException>(() => UapRuleSet.ReadFrom(new MemoryStream(bytes)));
    }

    [Fact]
    public void TruncatedTable_IsRefused()
    {
        var bytes = EmbeddedBytes();

        Assert.Throws<EndOfStreamException>(() => UapRuleSet.ReadFrom(new MemoryStream(bytes[..(bytes.Length / 2)])));
    }

    private static byte[] Bytes(UapRuleSet rules)
    {
        var stream = new MemoryStream();
        rules.WriteTo(stream);
        return stream.ToArray();
    }

    private static byte[] EmbeddedBytes()
    {
        using var stream = typeof(UserAgentParser).Assembly.GetManifestResourceStream(UapRuleSet.ResourceName)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string Scan(AhoCorasick automaton, string text)
    {
        var found = new ulong[1];
        var firstEnd = new int[64];
        automaton.Scan(text, found, firstEnd);
        return string.Join(',', Enumerable.Range(0, 64).Where(id => (found[0] & (1UL << id)) != 0).Select(id => $"{id}@{firstEnd[id]}"));
    }
}
