using System.Collections.Frozen;
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
/// never throws. The rule table is built on first use (AutoTrack warms it at startup, off the request path).
/// </remarks>
public sealed class UserAgentParser
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Rule, TimeSpan Timeout), Regex> SharedCompiled = new();

    private static readonly Lazy<UapRuleSet> SharedRules = new(UapRuleSet.LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    // Clients that are not people: command-line tools, HTTP libraries, headless browsers and monitors, as uap-core names them.
    private static readonly FrozenSet<string> NonHumanClients = FrozenSet.ToFrozenSet(
    [
        "curl", "Wget", "Python Requests", "Python-urllib", "aiohttp", "Go-http-client", "Java", "Apache-HttpClient", "okhttp",
        "libwww-perl", "HTTPie", "PostmanRuntime", "axios", "node-fetch", "undici", "Guzzle", "GuzzleHttp", "PHP", "Ruby", "http.rb",
        "HeadlessChrome", "PhantomJS", "Scrapy", "Nutch", "Jakarta Commons-HttpClient", "Python aiohttp", "Dart", "ureq", "reqwest",
        "minio-go", "Faraday", "Mechanize", "WinHttp", "Microsoft Office Protocol Discovery", "Google-HTTP-Java-Client",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> DesktopOperatingSystems = FrozenSet.ToFrozenSet(
    [
        "Windows", "Mac OS X", "Mac OS", "Linux", "Ubuntu", "Debian", "Fedora", "Red Hat", "SUSE", "Gentoo", "Mint", "Arch Linux",
        "Chrome OS", "Chromium OS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "SunOS", "Mandriva", "Slackware", "Kubuntu", "CentOS",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> MobileOperatingSystems = FrozenSet.ToFrozenSet(
    [
        "iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Symbian OS", "Firefox OS", "Sailfish", "Tizen", "HarmonyOS",
        "Windows Mobile", "Bada", "webOS", "Maemo", "MeeGo", "BlackBerry Tablet OS",
    ], StringComparer.Ordinal);

    /// <summary>The rule table every parser shares, built on first use.</summary>
    internal static UapRuleSet SharedRuleSet => SharedRules.Value;

    private readonly UserAgentParserOptions _options;
    private readonly ThriveStackMetrics? _metrics;
    private readonly UserAgentCache _cache;
    private readonly Lazy<UapRuleSet> _rules;
    private Regex?[]? _regexes; // this parser's regexes (its timeout, its compilation choice), each built on first use
    private int[]? _upgraded;   // rules whose compiled regex is built or being built
    private int[]? _uses;       // how often each rule has run, up to its upgrade
    private readonly System.Collections.Concurrent.ConcurrentQueue<(int Rule, string Sample)> _pendingUpgrades = new();
    private int _upgrading;

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
    }

    /// <summary>
    /// Builds the rule table now, if it is not built yet (otherwise the first parse does), and runs a few everyday user
    /// agents through it. Nothing is compiled here: a rule is compiled in the background from its second use, the big
    /// generic bot rules too, so an app whose visitors are people never pays the memory their compiled code takes
    /// (about 45 MiB resident, measured with <c>tests/load/run.sh</c> and a console).
    /// </summary>
    public void EnsureInitialized()
    {
        _ = _rules.Value;
        _ = Volatile.Read(ref _regexes) ?? InitRegexes();
        // A few everyday agents: the regex interpreter's own first-use JIT then happens here, not under a request's timeout.
        foreach (var agent in WarmUpAgents)
            ParseUncached(agent, out _);
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

    internal UserAgentInfo ParseUncached(string userAgent) => ParseUncached(userAgent, out _);

    private UserAgentInfo ParseUncached(string userAgent, out bool timedOut)
    {
        var rules = _rules.Value;
        Span<ulong> candidates = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[rules.ClauseCount];
        rules.Select(userAgent, candidates, clauses, firstEnd);

        timedOut = false;
        var ua = Match(rules, candidates, clauses, firstEnd, 0, rules.OsStart, userAgent, out var uaRule, ref timedOut);
        var os = Match(rules, candidates, clauses, firstEnd, rules.OsStart, rules.DeviceStart, userAgent, out var osRule, ref timedOut);
        var device = Match(rules, candidates, clauses, firstEnd, rules.DeviceStart, rules.Rules.Length, userAgent, out var deviceRule, ref timedOut);

        var parsedUa = ua is null ? new ParsedUserAgent("Other") : new ParsedUserAgent(
            uaRule!.Value(0, ua, 1) ?? "Other", uaRule.Value(1, ua, 2), uaRule.Value(2, ua, 3), uaRule.Value(3, ua, 4), uaRule.Value(4, ua, 5));
        var parsedOs = os is null ? new ParsedOs("Other") : new ParsedOs(
            osRule!.Value(0, os, 1) ?? "Other", osRule.Value(1, os, 2), osRule.Value(2, os, 3), osRule.Value(3, os, 4), osRule.Value(4, os, 5));
        var parsedDevice = device is null ? new ParsedDevice("Other") : new ParsedDevice(
            deviceRule!.Value(0, device, 1) ?? "Other", deviceRule.Value(1, device, 0), deviceRule.Value(2, device, 1));

        return new UserAgentInfo(parsedUa, parsedOs, parsedDevice, Classify(userAgent, parsedUa, parsedOs, parsedDevice));
    }

    /// <summary>The first candidate rule of the section, in rule order, that matches.</summary>
    private Match? Match(UapRuleSet rules, ReadOnlySpan<ulong> candidates, ReadOnlySpan<ulong> clauses, ReadOnlySpan<int> firstEnd, int start, int end,
        string userAgent, out UapRule? rule, ref bool timedOut)
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
                var regex = Regex(index, rule);
                if (Volatile.Read(ref _upgraded![index]) == 0)
                    CountUse(index, rule, userAgent);
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

    private Regex Regex(int index, UapRule rule)
    {
        var regexes = Volatile.Read(ref _regexes) ?? InitRegexes();
        var regex = Volatile.Read(ref regexes[index]);
        if (regex is not null)
            return regex;
        regex = rule.CreateRegex(compiled: false, _options.MatchTimeout);
        return Interlocked.CompareExchange(ref regexes[index], regex, null) ?? regex;
    }

    /// <summary>
    /// Counts a run of an interpreted rule; the second run queues it for compilation (never on the request path). A rule
    /// seen once stays interpreted, and a process's first parses do not share the CPU with the compiler.
    /// </summary>
    private void CountUse(int index, UapRule rule, string userAgent)
    {
        if ((_options.CompileRegexes || rule.IsHeavy) && Interlocked.Increment(ref _uses![index]) == UpgradeAfterUses)
            QueueUpgrade(index, userAgent);
    }

    private const int UpgradeAfterUses = 2;

    /// <summary>
    /// Hands a rule to the single background compiler; one worker at a time, so a burst cannot flood the pool. The
    /// worker starts a moment later and takes what has gathered: a burst of first parses (a process's first requests)
    /// is not slowed by the compiler competing for the CPU and the JIT.
    /// </summary>
    private void QueueUpgrade(int index, string sample)
    {
        _pendingUpgrades.Enqueue((index, sample));
        if (Interlocked.CompareExchange(ref _upgrading, 1, 0) == 0)
            _ = RunUpgradesAsync();
    }

    private static readonly TimeSpan UpgradeGathering = TimeSpan.FromMilliseconds(250);

    private async Task RunUpgradesAsync()
    {
        await Task.Delay(UpgradeGathering).ConfigureAwait(false);
        while (true)
        {
            var regexes = _regexes!;
            var rules = _rules.Value.Rules;
            while (_pendingUpgrades.TryDequeue(out var pending))
                Upgrade(regexes, pending.Rule, rules[pending.Rule], pending.Sample);
            Volatile.Write(ref _upgrading, 0);
            // Re-check: an index queued between the last dequeue and the reset would otherwise wait for the next one.
            if (_pendingUpgrades.IsEmpty || Interlocked.CompareExchange(ref _upgrading, 1, 0) != 0)
                return;
        }
    }

    /// <summary>
    /// Swaps a rule's interpreted regex for a compiled one, once. The compiled code is JIT-compiled here, by a match on
    /// <paramref name="sample"/>, a user agent the rule ran on: a made-up input may never reach the part of the regex
    /// that matches, which would then be JIT-compiled during a request.
    /// </summary>
    private void Upgrade(Regex?[] regexes, int index, UapRule rule, string sample)
    {
        if (Interlocked.Exchange(ref _upgraded![index], 1) != 0)
            return;
        // Compiled regexes are immutable and thread-safe: every parser in the process with the same timeout shares them.
        var compiled = SharedCompiled.GetOrAdd((index, _options.MatchTimeout), key =>
        {
            var regex = rule.CreateRegex(compiled: true, key.Timeout);
            try
            {
                rule.Match(regex, sample);
            }
            catch (RegexMatchTimeoutException)
            {
                // The first-use JIT outran the timeout; it is done now, and the regex is as fast as any other.
            }
            return regex;
        });
        Volatile.Write(ref regexes[index], compiled);
    }


    /// <summary>How many rules this parser runs compiled (tests).</summary>
    internal int CompiledRules => _upgraded?.Count(flag => flag != 0) ?? 0;

    /// <summary>Whether the background compiler still has rules to compile (benchmarks wait for it).</summary>
    internal bool UpgradesPending => !_pendingUpgrades.IsEmpty || Volatile.Read(ref _upgrading) != 0;

    private Regex?[] InitRegexes()
    {
        var count = _rules.Value.Rules.Length;
        Interlocked.CompareExchange(ref _upgraded, new int[count], null);
        Interlocked.CompareExchange(ref _uses, new int[count], null);
        Interlocked.CompareExchange(ref _regexes, new Regex?[count], null);
        return _regexes!;
    }

    /// <summary>Derives the device type from uap-core's results and a few well-known tokens of the raw string.</summary>
    internal static string Classify(string userAgent, ParsedUserAgent ua, ParsedOs os, ParsedDevice device)
    {
        if (device.Family == "Spider" || NonHumanClients.Contains(ua.Family))
            return DeviceTypes.Bot;

        if (IsTv(userAgent, device))
            return DeviceTypes.Tv;

        var family = device.Family;
        if (family.StartsWith("iPad", StringComparison.Ordinal) || family.Contains("Kindle", StringComparison.Ordinal) ||
            family.Contains("Tablet", StringComparison.OrdinalIgnoreCase) || family.StartsWith("Galaxy Tab", StringComparison.Ordinal) ||
            (os.Family == "Android" && !userAgent.Contains("Mobile", StringComparison.Ordinal)) ||
            userAgent.Contains("Tablet", StringComparison.OrdinalIgnoreCase))
        {
            return DeviceTypes.Tablet;
        }

        if (family.StartsWith("iPhone", StringComparison.Ordinal) || family.StartsWith("iPod", StringComparison.Ordinal) ||
            MobileOperatingSystems.Contains(os.Family) || userAgent.Contains("Mobi", StringComparison.Ordinal) ||
            userAgent.Contains("Opera Mini", StringComparison.Ordinal))
        {
            return DeviceTypes.Mobile;
        }

        if (DesktopOperatingSystems.Contains(os.Family) || os.Family.StartsWith("Windows", StringComparison.Ordinal))
            return DeviceTypes.Desktop;

        return DeviceTypes.Other;
    }

    private static bool IsTv(string userAgent, ParsedDevice device)
    {
        foreach (var token in TvTokens)
        {
            if (userAgent.Contains(token, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return device.Model?.StartsWith("AFT", StringComparison.Ordinal) == true; // Amazon Fire TV models
    }

    private static readonly string[] TvTokens =
    [
        "SmartTV", "SMART-TV", "Smart TV", "GoogleTV", "Google TV", "AppleTV", "Apple TV", "Android TV", "AndroidTV", "CrKey",
        "Roku", "BRAVIA", "HbbTV", "NetCast", "Web0S", "AFTB", "AFTS", "AFTM", "AFTT", "Fire TV", "Tizen TV",
    ];
}
