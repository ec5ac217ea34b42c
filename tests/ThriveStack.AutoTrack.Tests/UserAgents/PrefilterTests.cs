using System.Text;
using System.Text.RegularExpressions;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.UserAgents;

/// <summary>
/// The shortcuts of the parser must never change an answer: the literal prefilter (a rule that is not a candidate cannot
/// match), the start bound (no match starts before it) and the anchored start positions of the big alternations. They
/// are checked against each rule's plain pattern, on fixture user agents and on mutations of them (fixed seed).
/// </summary>
public class PrefilterTests
{
    private static readonly UapRuleSet Rules = UserAgentParser.SharedRuleSet;

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("x{0,5}abc", "abc", 5)]
    [InlineData(@"\d+abc", "abc", RegexLiterals.Unbounded)]
    [InlineData(@"(?:/\d{1,3}|) {0,2}Foo", "foo", 6)]
    [InlineData("a?bc", "bc", 1)]
    [InlineData(@"[Bb]ot\b", "bot", 0)]
    [InlineData(@"(Find ?(?:5|7a)|R8[012])", "find", 0)]
    public void Analyze_GivesEachLiteralItsLead(string pattern, string literal, int lead)
    {
        var clause = Assert.Single(RegexLiterals.Analyze(pattern), c => c.AnyOf.Contains(literal));
        Assert.Equal(lead, clause.Leads[clause.AnyOf.ToList().IndexOf(literal)]);
    }

    [Fact]
    public void Analyze_AlternationKeepsEachBranchsLead()
    {
        var clause = Assert.Single(RegexLiterals.Analyze(@"(Nutch|\w{0,30}favicon|x{2}Googlebot)/(\d+)"), c => c.AnyOf.Count == 3);
        var leads = clause.AnyOf.Zip(clause.Leads).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(0, leads["nutch"]);
        Assert.Equal(30, leads["favicon"]);
        Assert.Equal(2, leads["googlebot"]);
    }

    [Fact]
    public void Analyze_GivesUpOnWhatItDoesNotUnderstand()
    {
        Assert.Empty(RegexLiterals.Analyze(@"(a)\1bc"));   // backreference
        Assert.Empty(RegexLiterals.Analyze(@"\x41bc"));    // hex escape
        Assert.Empty(RegexLiterals.Analyze(@"(abc"));      // malformed
        Assert.Empty(RegexLiterals.Analyze(@"a?b*.c?"));   // nothing required
    }

    [Fact]
    public void BigAlternations_AreAnchoredAtStartPositions()
    {
        // uap-core's generic bot lists: without start positions they dominate the slowest parses.
        Assert.Contains(Rules.Rules, r => r.Positioned && r.Pattern.StartsWith("(CSimpleSpider|", StringComparison.Ordinal));
        Assert.Contains(Rules.Rules, r => r.Positioned && r.Pattern.StartsWith("^.{0,100}(bot|", StringComparison.Ordinal));
        Assert.DoesNotContain(Rules.Rules, r => r.Positioned && r.ExecutedPattern.StartsWith('^'));
    }

    [Fact]
    public void FixtureAgents_EveryRuleAnswersAsItsPlainPattern()
    {
        var agents = FixtureAgents().Where((_, i) => i % 6 == 0).ToList(); // every sixth: ~3,000 agents x 1,175 rules
        AssertEquivalent(agents);
    }

    [Fact]
    public void MutatedAgents_EveryRuleAnswersAsItsPlainPattern()
    {
        var random = new Random(20261128);
        var sources = FixtureAgents();
        var agents = Enumerable.Range(0, 1500).Select(_ => Mutate(sources[random.Next(sources.Count)], random)).ToList();
        AssertEquivalent(agents);
    }

    [Fact]
    public void CaseFoldingOutsideAscii_DoesNotHideACandidate()
    {
        // Case-insensitive regexes treat the Kelvin sign as a 'k'; so must the prefilter. "kyoc" is a generic feature phone.
        const string Agent = "\u212Ayocera-E4210/1.0 Browser/Obigo";
        Assert.Contains(Rules.Rules, r => r.IgnoreCase && r.Pattern.Contains("kyoc", StringComparison.Ordinal) && Regex.IsMatch(Agent, r.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
        AssertEquivalent([Agent, "Mozilla/5.0 (compatible; \u212Aalooga\u212Abot/1.0)"]);
    }

    private static readonly string[] Tokens =
    [
        "bot", "Bot/2.1", "Googlebot/2.1", "crawler", "spider ", "favicon", "Nutch", " Build/", ") AppleWebKit", "; ", "Android 4.4; ",
        "iPhone", "Mobile", "/1.0", " 12.3 ", "Windows NT 10.0", "CFNetwork/978", "Darwin/18.5.0", "\u212A", "(", ")", "  ", "Yandex",
        "archive.org_bot", "Xenu Link Sleuth", "Microsoft Office Bot", "www.google.com/bot.html", "MSIE 9.0", "Opera Mini/4.2",
    ];

    private static string Mutate(string agent, Random random)
    {
        var text = new StringBuilder(agent);
        for (var step = random.Next(1, 5); step > 0; step--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0: text.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 1: if (at < text.Length) text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at)); break;
                case 2: if (at < text.Length) text[at] = char.IsUpper(text[at]) ? char.ToLowerInvariant(text[at]) : char.ToUpperInvariant(text[at]); break;
                case 3: text.Insert(at, text.ToString(0, Math.Min(text.Length, random.Next(1, 40)))); break;
                default: text.Insert(at, (char)random.Next(32, 127)); break;
            }
        }
        return text.ToString();
    }

    private static void AssertEquivalent(IReadOnlyList<string> agents)
    {
        var timeout = TimeSpan.FromSeconds(10);
        var plain = Rules.Rules.Select(r => new Regex(r.Pattern, RegexOptions.CultureInvariant | (r.IgnoreCase ? RegexOptions.IgnoreCase : 0), timeout)).ToArray();
        var engine = Rules.Rules.Select(r => r.CreateRegex(compiled: false, timeout)).ToArray();
        Span<ulong> candidates = stackalloc ulong[Rules.Words];
        Span<ulong> clauses = stackalloc ulong[Rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[Rules.ClauseCount];
        var failures = new List<string>();
        foreach (var agent in agents)
        {
            Rules.Select(agent, candidates, clauses, firstEnd);
            for (var r = 0; r < Rules.Rules.Length && failures.Count < 10; r++)
            {
                var rule = Rules.Rules[r];
                var expected = plain[r].Match(agent);
                var actual = Rules.IsCandidate(r, candidates, clauses) ? rule.Match(engine[r], agent, Rules.StartBound(r, firstEnd)) : Match.Empty;
                if (!Same(rule, expected, actual))
                    failures.Add($"rule {r} ({rule.Pattern[..Math.Min(60, rule.Pattern.Length)]}) on '{agent}': expected {Describe(expected)}, got {Describe(actual)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Fields read capture groups only; a rule whose fields are all fixed only needs to match or not.
    private static bool Same(UapRule rule, Match expected, Match actual)
    {
        if (expected.Success != actual.Success)
            return false;
        if (!expected.Success || rule.Replacements.All(r => r is not null && !r.Contains('$', StringComparison.Ordinal)))
            return true;
        for (var g = 1; g < expected.Groups.Count; g++)
        {
            if (expected.Groups[g].Success != actual.Groups[g].Success || expected.Groups[g].Value != actual.Groups[g].Value)
                return false;
        }
        return true;
    }

    private static string Describe(Match m) => m.Success ? $"match '{string.Join("|", m.Groups.Cast<Group>().Skip(1).Select(g => g.Value))}'" : "no match";

    private static List<string> FixtureAgents()
        => [.. new[] { "test_ua.yaml", "test_os.yaml", "test_device.yaml" }
            .SelectMany(UapFixtures.Cases)
            .Select(c => c["user_agent_string"]!)
            .Distinct(StringComparer.Ordinal)];
}
