using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// One parser's regexes, by rule, with tiered compilation: a rule runs interpreted from its first use and, from its second
/// (when <see cref="UserAgentParserOptions.CompileRegexes"/> is on, and always for the big bot rules), is compiled by one
/// background worker and swapped in. Compiled regexes are shared by every parser in the process with the same timeout.
/// </summary>
internal sealed class RuleRegexes(UserAgentParserOptions options, Lazy<UapRuleSet> ruleSet)
{
    private static readonly ConcurrentDictionary<(int Rule, TimeSpan Timeout), Regex> SharedCompiled = new();

    private Regex?[]? _regexes; // each built on first use
    private int[]? _upgraded;   // rules whose compiled regex is built or being built
    private int[]? _uses;       // how often each rule has run, up to its upgrade
    private readonly ConcurrentQueue<(int Rule, string Sample)> _pendingUpgrades = new();
    private int _upgrading;

    /// <summary>
    /// The regex to run for rule <paramref name="index"/> now, counting the use unless <paramref name="countUse"/> is
    /// false (the startup warm-up). <paramref name="userAgent"/> is the sample it may be compiled on.
    /// </summary>
    public Regex For(int index, UapRule rule, string userAgent, bool countUse = true)
    {
        var regex = Regex(index, rule);
        if (countUse && Volatile.Read(ref _upgraded![index]) == 0)
            CountUse(index, rule, userAgent);
        return regex;
    }

    private Regex Regex(int index, UapRule rule)
    {
        var regexes = Volatile.Read(ref _regexes) ?? InitRegexes();
        var regex = Volatile.Read(ref regexes[index]);
        if (regex is not null)
            return regex;
        regex = rule.CreateRegex(compiled: false, options.MatchTimeout);
        return Interlocked.CompareExchange(ref regexes[index], regex, null) ?? regex;
    }

    /// <summary>
    /// Counts a run of an interpreted rule; the second run queues it for compilation (never on the request path). A rule
    /// seen once stays interpreted, and a process's first parses do not share the CPU with the compiler.
    /// </summary>
    private void CountUse(int index, UapRule rule, string userAgent)
    {
        if ((options.CompileRegexes || rule.IsHeavy) && Interlocked.Increment(ref _uses![index]) == UpgradeAfterUses)
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
            var rules = ruleSet.Value.Rules;
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
        var compiled = SharedCompiled.GetOrAdd((index, options.MatchTimeout), key =>
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
    public int CompiledRules => _upgraded?.Count(flag => flag != 0) ?? 0;

    /// <summary>Whether the background compiler still has rules to compile (benchmarks wait for it).</summary>
    public bool UpgradesPending => !_pendingUpgrades.IsEmpty || Volatile.Read(ref _upgrading) != 0;

    private Regex?[] InitRegexes()
    {
        var count = ruleSet.Value.Rules.Length;
        Interlocked.CompareExchange(ref _upgraded, new int[count], null);
        Interlocked.CompareExchange(ref _uses, new int[count], null);
        Interlocked.CompareExchange(ref _regexes, new Regex?[count], null);
        return _regexes!;
    }
}
