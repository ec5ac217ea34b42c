using System.Text.Json;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The uap-core rules of the three sections, numbered in one sequence (user agent, then OS, then device), and the
/// prefilter: an Aho-Corasick automaton over the literals of every rule's required clauses. A scan marks the clauses the
/// input satisfies and the rules with at least one; a marked rule runs only if all its clauses are satisfied. Rules with
/// no clause always run.
/// </summary>
internal sealed class UapRuleSet
{
    public const string ResourceName = "ThriveStack.AutoTrack.UserAgents.regexes.json";

    private static readonly string[] UserAgentFields = ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"];
    private static readonly string[] OsFields = ["os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement", "os_v4_replacement"];
    private static readonly string[] DeviceFields = ["device_replacement", "brand_replacement", "model_replacement"];

    private UapRuleSet(UapRule[] rules, int osStart, int deviceStart, AhoCorasick automaton, ulong[] alwaysRun, int[] clauseStart, int clauseCount)
    {
        Rules = rules;
        ClauseStart = clauseStart;
        ClauseWords = (clauseCount + 63) / 64;
        OsStart = osStart;
        DeviceStart = deviceStart;
        Automaton = automaton;
        AlwaysRun = alwaysRun;
    }

    public UapRule[] Rules { get; }

    public int OsStart { get; }

    public int DeviceStart { get; }

    public AhoCorasick Automaton { get; }

    /// <summary>Bits of the rules without a required literal.</summary>
    public ulong[] AlwaysRun { get; }

    public int Words => AlwaysRun.Length;

    /// <summary>Rule i's clauses are ids ClauseStart[i] to ClauseStart[i + 1] - 1.</summary>
    public int[] ClauseStart { get; }

    public int ClauseWords { get; }

    /// <summary>
    /// One scan of <paramref name="text"/>: sets the clauses it satisfies and the rules that may match (every rule
    /// without clauses, and every rule with at least one clause seen; <see cref="IsCandidate"/> then checks all of them).
    /// </summary>
    public void Select(ReadOnlySpan<char> text, Span<ulong> candidates, Span<ulong> clauses)
    {
        AlwaysRun.CopyTo(candidates);
        clauses.Clear();
        Automaton.Scan(text, clauses, candidates);
    }

    /// <summary>Whether rule <paramref name="rule"/> must run after <see cref="Select"/>.</summary>
    public bool IsCandidate(int rule, ReadOnlySpan<ulong> candidates, ReadOnlySpan<ulong> clauses)
        => (candidates[rule >> 6] & (1UL << (rule & 63))) != 0 && AllClausesSeen(rule, clauses);

    /// <summary>Whether every required clause of rule <paramref name="rule"/> was seen.</summary>
    public bool AllClausesSeen(int rule, ReadOnlySpan<ulong> clauses)
    {
        for (var c = ClauseStart[rule]; c < ClauseStart[rule + 1]; c++)
        {
            if ((clauses[c >> 6] & (1UL << (c & 63))) == 0)
                return false;
        }
        return true;
    }

    public static UapRuleSet LoadEmbedded()
    {
        using var stream = typeof(UapRuleSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        return Build(document.RootElement);
    }

    public static UapRuleSet Build(JsonElement root)
    {
        var rules = new List<UapRule>();
        Read(root, "user_agent_parsers", UserAgentFields, rules);
        var osStart = rules.Count;
        Read(root, "os_parsers", OsFields, rules);
        var deviceStart = rules.Count;
        Read(root, "device_parsers", DeviceFields, rules);

        var patterns = new List<(string, int, int)>();
        var alwaysRun = new ulong[(rules.Count + 63) / 64];
        var clauseStart = new int[rules.Count + 1];
        var clause = 0;
        for (var i = 0; i < rules.Count; i++)
        {
            clauseStart[i] = clause;
            var clauses = Selective(RegexLiterals.RequiredClauses(rules[i].Pattern));
            if (clauses.Count == 0)
                alwaysRun[i >> 6] |= 1UL << (i & 63);
            foreach (var anyOf in clauses)
            {
                patterns.AddRange(anyOf.Select(literal => (literal, clause, i)));
                clause++;
            }
        }
        clauseStart[rules.Count] = clause;
        return new UapRuleSet([.. rules], osStart, deviceStart, new AhoCorasick(patterns), alwaysRun, clauseStart, clause);
    }

    /// <summary>
    /// The clauses worth scanning for: those whose literals all have 3+ characters. A one-character clause such as "/"
    /// belongs to hundreds of rules, so each "/" in the input would set hundreds of bits while excluding almost nothing.
    /// A rule with no such clause keeps its single most selective one.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<string>> Selective(IReadOnlyList<IReadOnlyList<string>> clauses)
    {
        var strong = clauses.Where(c => c.Min(l => l.Length) >= 3).ToList();
        return strong.Count > 0 || clauses.Count == 0 ? strong : [clauses.MaxBy(c => c.Min(l => l.Length))!];
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
