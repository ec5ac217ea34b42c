using System.Text.RegularExpressions;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Parses user-agent strings with ua-parser's uap-core rules (vendored, Apache-2.0) into browser, OS and device, with
/// uap semantics (first matching rule in file order; <c>$1</c>..<c>$9</c> templates; trimmed; empty is null; no match is
/// <c>Other</c>), plus a device type and a bot verdict. Thread-safe; registered as a singleton by <c>AddThriveStack</c>
/// and usable on its own.
/// </summary>
/// <remarks>
/// A parse never runs all ~1,200 rules: one Aho-Corasick pass over the input selects the rules whose required literals
/// it contains, and only those run, in rule order. Results are cached (bounded). Input is cut to
/// <see cref="UserAgentParserOptions.MaxLength"/>, every match has a timeout, and a timeout gives <c>Other</c>: parsing
/// never throws. The rule table, compiled when the rules are vendored and embedded in the library, is read on first use
/// (AutoTrack reads it at startup, off the request path).
/// </remarks>
public sealed class UserAgentParser
{
    private static readonly Lazy<UapRuleSet> SharedRules = new(UapRuleSet.LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The rule table every parser shares, read on first use.</summary>
    internal static UapRuleSet SharedRuleSet => SharedRules.Value;

    private readonly UserAgentParserOptions _options;
    private readonly ThriveStackMetrics? _metrics;
    private readonly UserAgentCache _cache;
    private readonly Lazy<UapRuleSet> _rules;
    private readonly RuleRegexes _regexes; // this parser's regexes (its timeout, its compilation choice)

    /// <summary>A parser with the default options (cache of 10,000, 1,024-character cap, 50 ms match timeout, tiered compilation).</summary>
    public UserAgentParser()
        : this(new UserAgentParserOptions())
    {
    }

    /// <summary>A parser with the given options.</summary>
    /// <param name="options">Cache size, length cap, match timeout, compilation.</param>
    public UserAgentParser(UserAgentParserOptions options)
        : this(options, null)
    {
    }

    internal UserAgentParser(UserAgentParserOptions options, ThriveStackMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _metrics = metrics;
        _cache = new UserAgentCache(options.CacheSize);
        _rules = SharedRules;
        _regexes = new RuleRegexes(options, SharedRules);
    }

    /// <summary>
    /// Reads the rule table now, if it is not read yet (otherwise the first parse does), and runs a few everyday user
    /// agents through it. Nothing is compiled here: a rule is compiled in the background from its second use, the big
    /// generic bot rules too, so an app whose visitors are people never pays the memory their compiled code takes
    /// (about 45 MiB resident, measured with <c>tests/load/run.sh</c> and a console).
    /// </summary>
    public void EnsureInitialized()
    {
        _ = _rules.Value;
        // A few everyday agents: the regex interpreter's own first-use JIT then happens here, not under a request's timeout.
        // They do not count as uses: a rule two of them share would otherwise be compiled at startup, and the first
        // compiled regex loads the regex compiler and Reflection.Emit (about 8 MiB resident in an app that may never need it).
        foreach (var agent in WarmUpAgents)
            ParseUncached(agent, out _, countUses: false);
    }

    private static readonly string[] WarmUpAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ];

    /// <summary>Parses a user agent. Never throws; null or empty gives <c>Other</c> everywhere.</summary>
    /// <param name="userAgent">The <c>User-Agent</c> header value.</param>
    /// <returns>The browser, OS, device and device type; the same instance for the same (cached) input.</returns>
    public UserAgentInfo Parse(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
            return Unknown;
        var key = userAgent.Length > _options.MaxLength ? userAgent[.._options.MaxLength] : userAgent;
        if (_cache.TryGet(key, out var cached))
            return cached;
        var info = ParseUncached(key, out var timedOut);
        if (!timedOut)
            _cache.Add(key, info); // a timeout's "Other" may be a slow moment, not the answer: the next parse tries again
        return info;
    }

    internal static UserAgentInfo Unknown { get; } = new(new ParsedUserAgent("Other"), new ParsedOs("Other"), new ParsedDevice("Other"), DeviceTypes.Other);

    /// <summary>A request without a user agent, when bots are tracked.</summary>
    internal static UserAgentInfo UnknownBot { get; } = new(new ParsedUserAgent("Other"), new ParsedOs("Other"), new ParsedDevice("Other"), DeviceTypes.Bot);

    /// <summary>How many rules this parser runs compiled (tests).</summary>
    internal int CompiledRules => _regexes.CompiledRules;

    /// <summary>Whether the background compiler still has rules to compile (benchmarks wait for it).</summary>
    internal bool UpgradesPending => _regexes.UpgradesPending;

    internal UserAgentInfo ParseUncached(string userAgent) => ParseUncached(userAgent, out _);

    private UserAgentInfo ParseUncached(string userAgent, out bool timedOut, bool countUses = true)
    {
        var rules = _rules.Value;
        Span<ulong> candidates = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[rules.ClauseCount];
        rules.Select(userAgent, candidates, clauses, firstEnd);

        timedOut = false;
        var ua = Match(rules, candidates, clauses, firstEnd, 0, rules.OsStart, userAgent, countUses, out var uaRule, ref timedOut);
        var os = Match(rules, candidates, clauses, firstEnd, rules.OsStart, rules.DeviceStart, userAgent, countUses, out var osRule, ref timedOut);
        var device = Match(rules, candidates, clauses, firstEnd, rules.DeviceStart, rules.Rules.Length, userAgent, countUses, out var deviceRule, ref timedOut);

        var parsedUa = ua is null ? new ParsedUserAgent("Other") : new ParsedUserAgent(
            uaRule!.Value(0, ua, 1) ?? "Other", uaRule.Value(1, ua, 2), uaRule.Value(2, ua, 3), uaRule.Value(3, ua, 4), uaRule.Value(4, ua, 5));
        var parsedOs = os is null ? new ParsedOs("Other") : new ParsedOs(
            osRule!.Value(0, os, 1) ?? "Other", osRule.Value(1, os, 2), osRule.Value(2, os, 3), osRule.Value(3, os, 4), osRule.Value(4, os, 5));
        var parsedDevice = device is null ? new ParsedDevice("Other") : new ParsedDevice(
            deviceRule!.Value(0, device, 1) ?? "Other", deviceRule.Value(1, device, 0), deviceRule.Value(2, device, 1));

        return new UserAgentInfo(parsedUa, parsedOs, parsedDevice, DeviceClassifier.Classify(userAgent, parsedUa, parsedOs, parsedDevice));
    }

    /// <summary>The first candidate rule of the section, in rule order, that matches.</summary>
    private Match? Match(UapRuleSet rules, ReadOnlySpan<ulong> candidates, ReadOnlySpan<ulong> clauses, ReadOnlySpan<int> firstEnd, int start, int end,
        string userAgent, bool countUses, out UapRule? rule, ref bool timedOut)
    {
        for (var word = start >> 6; word < candidates.Length && word << 6 < end; word++)
        {
            var bits = candidates[word];
            while (bits != 0)
            {
                var index = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (index < start)
                    continue;
                if (index >= end)
                    break;
                if (!rules.AllClausesSeen(index, clauses))
                    continue;
                rule = rules.Rules[index];
                var regex = _regexes.For(index, rule, userAgent, countUses);
                try
                {
                    var match = rule.Match(regex, userAgent, rules.StartBound(index, firstEnd));
                    if (match.Success)
                        return match;
                }
                catch (RegexMatchTimeoutException)
                {
                    _metrics?.UserAgentTimeout();
                    timedOut = true;
                    rule = null;
                    return null; // "Other" for this part: a hostile input does not get to try the next rule too
                }
            }
        }
        rule = null;
        return null;
    }

}
