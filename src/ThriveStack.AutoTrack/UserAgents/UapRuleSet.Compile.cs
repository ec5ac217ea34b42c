using System.Text.Json;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The table compiler: uap-core's rules (as JSON) analyzed into the prefilter. It runs when the vendored rules are
/// refreshed (<c>scripts/update-uap-core.sh</c> writes its output, <c>Data/regexes.table</c>, which the library embeds) and
/// in tests, which check the embedded table is what it computes; never in an app, where building the table took 11 MB of
/// allocations and about 10 MiB of resident memory at startup.
/// </summary>
internal sealed partial class UapRuleSet
{
    private static readonly string[] UserAgentFields = ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"];
    private static readonly string[] OsFields = ["os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement", "os_v4_replacement"];
    private static readonly string[] DeviceFields = ["device_replacement", "brand_replacement", "model_replacement"];

    public static UapRuleSet Compile(JsonElement root)
    {
        var rules = new List<(UapRule Rule, IReadOnlyList<RegexLiterals.Clause> Clauses)>();
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
        return new UapRuleSet([.. rules.Select(r => r.Rule)], osStart, deviceStart, new AhoCorasick(patterns), alwaysRun, clauseLiterals.Count,
            [.. anchored.Select(a => a.ToArray())], ruleClauseStart, [.. ruleClauses], [.. reach]);
    }

    private static void Read(JsonElement root, string section, string[] fields, List<(UapRule, IReadOnlyList<RegexLiterals.Clause>)> rules)
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
            rules.Add(UapRule.Compile(item.GetProperty("regex").GetString()!, ignoreCase, replacements));
        }
    }
}
