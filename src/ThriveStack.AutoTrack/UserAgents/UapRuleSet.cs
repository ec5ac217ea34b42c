using System.Text.Json;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The uap-core rules of the three sections, numbered in one sequence (user agent, then OS, then device), and the
/// prefilter. Every rule's required clauses (<see cref="RegexLiterals"/>) are numbered once across all rules (the same
/// literal set is one clause, however many rules need it), and one Aho-Corasick automaton holds their literals. A scan
/// marks the clauses the input satisfies; a rule is a candidate when its most selective clause (its anchor) is marked,
/// and runs only if all its clauses are. Rules with no clause always run. The scan also tells how early each clause
/// first occurs, which, with the clause's lead, bounds how early the rule's match can start (<see cref="StartBound"/>).
/// </summary>
internal sealed class UapRuleSet
{
    public const string ResourceName = "ThriveStack.AutoTrack.UserAgents.regexes.json";

    private static readonly string[] UserAgentFields = ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"];
    private static readonly string[] OsFields = ["os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement", "os_v4_replacement"];
    private static readonly string[] DeviceFields = ["device_replacement", "brand_replacement", "model_replacement"];

    private readonly int[][] _anchored;      // per clause: the rules it anchors
    private readonly int[] _ruleClauseStart; // rule i's clauses are _ruleClauses[_ruleClauseStart[i] .. _ruleClauseStart[i + 1]]
    private readonly int[] _ruleClauses;
    private readonly int[] _reach;           // per entry of _ruleClauses: lead + longest literal, or Unbounded

    private UapRuleSet(UapRule[] rules, int osStart, int deviceStart, AhoCorasick automaton, ulong[] alwaysRun, int clauseCount,
        int[][] anchored, int[] ruleClauseStart, int[] ruleClauses, int[] reach)
    {
        Rules = rules;
        OsStart = osStart;
        DeviceStart = deviceStart;
        Automaton = automaton;
        AlwaysRun = alwaysRun;
        ClauseCount = clauseCount;
        ClauseWords = (clauseCount + 63) / 64;
        _anchored = anchored;
        _ruleClauseStart = ruleClauseStart;
        _ruleClauses = ruleClauses;
        _reach = reach;
    }

    public UapRule[] Rules { get; }

    public int OsStart { get; }

    public int DeviceStart { get; }

    public AhoCorasick Automaton { get; }

    /// <summary>Bits of the rules without a required literal.</summary>
    public ulong[] AlwaysRun { get; }

    public int Words => AlwaysRun.Length;

    public int ClauseCount { get; }

    public int ClauseWords { get; }

    /// <summary>
    /// One scan of <paramref name="text"/>: sets the clauses it satisfies (and where each first occurs) and the rules that
    /// may match: every rule without clauses, and every rule whose anchor clause was seen (<see cref="AllClausesSeen"/>
    /// then checks the others).
    /// </summary>
    public void Select(ReadOnlySpan<char> text, Span<ulong> candidates, Span<ulong> clauses, Span<int> firstEnd)
    {
        AlwaysRun.CopyTo(candidates);
        clauses.Clear();
        Automaton.Scan(text, clauses, firstEnd);
        for (var word = 0; word < clauses.Length; word++)
        {
            var bits = clauses[word];
            while (bits != 0)
            {
                var clause = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                foreach (var rule in _anchored[clause])
                    candidates[rule >> 6] |= 1UL << (rule & 63);
            }
        }
    }

    /// <summary>Whether rule <paramref name="rule"/> must run after <see cref="Select"/>.</summary>
    public bool IsCandidate(int rule, ReadOnlySpan<ulong> candidates, ReadOnlySpan<ulong> clauses)
        => (candidates[rule >> 6] & (1UL << (rule & 63))) != 0 && AllClausesSeen(rule, clauses);

    /// <summary>Whether every required clause of rule <paramref name="rule"/> was seen.</summary>
    public bool AllClausesSeen(int rule, ReadOnlySpan<ulong> clauses)
    {
        for (var k = _ruleClauseStart[rule]; k < _ruleClauseStart[rule + 1]; k++)
        {
            var c = _ruleClauses[k];
            if ((clauses[c >> 6] & (1UL << (c & 63))) == 0)
                return false;
        }
        return true;
    }

    /// <summary>
    /// The earliest position a match of rule <paramref name="rule"/> can start at, once all its clauses were seen: a
    /// clause's first occurrence ends at <c>e</c>, so every occurrence starts at or after <c>e</c> minus its longest
    /// literal, and the match at most the clause's lead before that.
    /// </summary>
    public int StartBound(int rule, ReadOnlySpan<int> firstEnd)
    {
        var bound = 0;
        for (var k = _ruleClauseStart[rule]; k < _ruleClauseStart[rule + 1]; k++)
        {
            if (_reach[k] != RegexLiterals.Unbounded)
                bound = Math.Max(bound, firstEnd[_ruleClauses[k]] - _reach[k]);
        }
        return bound;
    }

    public static UapRuleSet LoadEmbedded()
    {
        using var stream = typeof(UapRuleSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var rules = Build(document.RootElement);
        rules.Prime();
        return rules;
    }

    /// <summary>
    /// Runs, once, the code every first parse needs whatever its input: the scan, the start-position searches and the
    /// regex interpreter with and without case folding. The JIT compiles them here, as the table is built in the
    /// background at startup, rather than during the first request's parse, under its match timeout.
    /// </summary>
    private void Prime()
    {
        const string Sample = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        Span<ulong> candidates = stackalloc ulong[Words];
        Span<ulong> clauses = stackalloc ulong[ClauseWords];
        Span<int> firstEnd = stackalloc int[ClauseCount];
        Select(Sample, candidates, clauses, firstEnd);
        var timeout = TimeSpan.FromSeconds(1);
        foreach (var rule in Rules.Where(r => r.Positioned).Append(Rules.First(r => r.IgnoreCase)).Append(Rules.First(r => !r.IgnoreCase)))
            rule.Match(rule.CreateRegex(compiled: false, timeout), Sample);
    }

    public static UapRuleSet Build(JsonElement root)
    {
        var rules = new List<UapRule>();
        Read(root, "user_agent_parsers", UserAgentFields, rules);
        var osStart = rules.Count;
        Read(root, "os_parsers", OsFields, rules);
        var deviceStart = rules.Count;
        Read(root, "device_parsers", DeviceFields, rules);

        var clauseIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var clauseLiterals = new List<IReadOnlyList<string>>();
        var anchored = new List<List<int>>();
        var alwaysRun = new ulong[(rules.Count + 63) / 64];
        var ruleClauseStart = new int[rules.Count + 1];
        var ruleClauses = new List<int>();
        var reach = new List<int>();
        for (var i = 0; i < rules.Count; i++)
        {
            ruleClauseStart[i] = ruleClauses.Count;
            var clauses = rules[i].Clauses;
            if (clauses.Count == 0)
            {
                alwaysRun[i >> 6] |= 1UL << (i & 63);
                continue;
            }
            var anchor = -1;
            var anchorStrength = -1;
            foreach (var clause in clauses)
            {
                var literals = clause.AnyOf.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                var key = string.Join('\0', literals);
                if (!clauseIds.TryGetValue(key, out var id))
                {
                    id = clauseIds[key] = clauseLiterals.Count;
                    clauseLiterals.Add(literals);
                    anchored.Add([]);
                }
                var longest = literals.Max(l => l.Length);
                ruleClauses.Add(id);
                reach.Add(clause.Lead == RegexLiterals.Unbounded ? RegexLiterals.Unbounded : clause.Lead + longest);
                var strength = literals.Min(l => l.Length);
                if (strength > anchorStrength)
                    (anchor, anchorStrength) = (id, strength);
            }
            anchored[anchor].Add(i);
        }
        ruleClauseStart[rules.Count] = ruleClauses.Count;

        var patterns = new List<(string, int)>();
        for (var id = 0; id < clauseLiterals.Count; id++)
            patterns.AddRange(clauseLiterals[id].Select(literal => (literal, id)));
        return new UapRuleSet([.. rules], osStart, deviceStart, new AhoCorasick(patterns), alwaysRun, clauseLiterals.Count,
            [.. anchored.Select(a => a.ToArray())], ruleClauseStart, [.. ruleClauses], [.. reach]);
    }

    private static void Read(JsonElement root, string section, string[] fields, List<UapRule> rules)
    {
        foreach (var item in root.GetProperty(section).EnumerateArray())
        {
            var replacements = new string?[fields.Length];
            for (var f = 0; f < fields.Length; f++)
            {
                if (item.TryGetProperty(fields[f], out var value) && value.ValueKind != JsonValueKind.Null)
                    replacements[f] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
            var ignoreCase = item.TryGetProperty("regex_flag", out var flag) && flag.GetString() == "i";
            rules.Add(new UapRule(item.GetProperty("regex").GetString()!, ignoreCase, replacements));
        }
    }
}
