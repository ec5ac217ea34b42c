namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>Settings of the <see cref="UserAgentParser"/>. Section <c>ThriveStack:UserAgents</c>.</summary>
public sealed class UserAgentParserOptions
{
    /// <summary>Longest user agent examined, in characters; longer ones are cut before matching. Default 1,024.</summary>
    public int MaxLength { get; set; } = 1024;

    /// <summary>Distinct user agents kept in the result cache (up to twice this many briefly). Default 10,000; 0 turns the cache off.</summary>
    public int CacheSize { get; set; } = 10_000;

    /// <summary>Longest time one rule may spend matching; a timeout gives <c>Other</c> and is counted. Default 50 ms.</summary>
    public TimeSpan MatchTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Tiered compilation of the rules' regular expressions. Default <c>true</c>: a rule runs interpreted at first; from
    /// its second use a background worker compiles it to IL (and JIT-compiles it with one match) and swaps it in, so no
    /// request ever waits for compilation (milliseconds per rule, which would also trip short match timeouts), a process's
    /// first parses do not share the CPU with the compiler, memory grows only with the rules traffic actually uses, and
    /// steady-state parses run 20–55 % faster than interpreted. <c>false</c> keeps rules interpreted, except the few
    /// heavy generic bot catchers, which are always compiled this way (from their second use too).
    /// </summary>
    public bool CompileRegexes { get; set; } = true;

    /// <summary>
    /// Whether page views by bots (crawlers, monitors, command-line and library HTTP clients, requests without a user
    /// agent) are tracked, with <c>device_type: "bot"</c>. Default <c>false</c>: they are not tracked, only counted on
    /// <c>thrivestack.page_visits.bots</c>.
    /// </summary>
    public bool TrackBots { get; set; }

    /// <summary>
    /// Whether every event tracked during a request (not only page visits) gets the <c>browser</c>, <c>browser_version</c>,
    /// <c>os</c>, <c>os_version</c> and <c>device_type</c> properties. Default <c>false</c>.
    /// </summary>
    public bool EnrichAllEvents { get; set; }
}
