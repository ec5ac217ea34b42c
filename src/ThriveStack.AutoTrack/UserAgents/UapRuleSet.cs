using System.Text.Json;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The uap-core rules of the three sections, numbered in one sequence (user agent, then OS, then device), and the
/// prefilter: an Aho-Corasick automaton over each rule's required literals, plus the rules that have none (always run).
/// </summary>
internal sealed class UapRuleSet
{
    public const string ResourceName = "ThriveStack.AutoTrack.UserAgents.regexes.json";

    private static readonly string[] UserAgentFields = ["family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"];
    private static readonly string[] OsFields = ["os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement", "os_v4_replacement"];
    private static readonly string[] DeviceFields = ["device_replacement", "brand_replacement", "model_replacement"];

    private UapRuleSet(UapRule[] rules, int osStart, int deviceStart, AhoCorasick automaton, ulong[] alwaysRun)
    {
        Rules = rules;
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

        var patterns = new List<(string, int)>();
        var alwaysRun = new ulong[(rules.Count + 63) / 64];
        for (var i = 0; i < rules.Count; i++)
        {
            var required = RegexLiterals.RequiredAnyOf(rules[i].Pattern);
            if (required is null)
                alwaysRun[i >> 6] |= 1UL << (i & 63);
            else
                patterns.AddRange(required.Select(literal => (literal, i)));
        }
        return new UapRuleSet([.. rules], osStart, deviceStart, new AhoCorasick(patterns), alwaysRun);
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
