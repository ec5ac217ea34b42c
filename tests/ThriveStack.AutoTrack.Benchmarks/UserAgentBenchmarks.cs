using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The user-agent parser: building the rule table, parsing uncached user agents (every UA of uap-core's ua and os fixture
/// files, in turn), and a cached parse; with interpreted and with compiled regular expressions.
/// </summary>
[MemoryDiagnoser]
public class UserAgentBenchmarks
{
    private const int Batch = 256;

    private string[] _agents = [];
    private UserAgentParser _parser = null!;
    private int _next;

    [Params(false, true)]
    public bool Compiled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _agents = FixtureAgents.Load();
        _parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0, CompileRegexes = Compiled });
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var agent in _agents)
                _parser.ParseUncached(agent); // every rule's regex built, and from its second use compiled: steady state
        }
        while (_parser.UpgradesPending)
            Thread.Sleep(100);
    }

    [Benchmark]
    public object ReadRuleTable() => UapRuleSet.LoadEmbedded();

    [Benchmark(OperationsPerInvoke = Batch)]
    public object? ParseUncached()
    {
        object? last = null;
        for (var i = 0; i < Batch; i++)
        {
            last = _parser.ParseUncached(_agents[_next]);
            _next = (_next + 1) % _agents.Length;
        }
        return last;
    }
}

/// <summary>A cached parse of a typical browser user agent.</summary>
[MemoryDiagnoser]
public class UserAgentCachedBenchmarks
{
    private readonly UserAgentParser _parser = new();
    private string _agent = "";

    [GlobalSetup]
    public void Setup()
    {
        _agent = new string(FixtureAgents.Chrome.AsSpan()); // not the interned literal: a fresh string per request, as Kestrel gives
        _parser.Parse(_agent);
    }

    [Benchmark]
    public UserAgentInfo ParseCached() => _parser.Parse(_agent);
}

internal static class FixtureAgents
{
    /// <summary>The everyday browser the benchmarks parse and request pages with.</summary>
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static readonly Regex UserAgentLine = new(@"^\s*- user_agent_string: '(.*)'\s*$", RegexOptions.Compiled);

    public static string[] Load()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "tests", "ThriveStack.AutoTrack.Tests", "UserAgents", "Fixtures")))
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("the repository root");
        var dir = Path.Combine(root, "tests", "ThriveStack.AutoTrack.Tests", "UserAgents", "Fixtures");
        return [.. new[] { "test_ua.yaml", "test_os.yaml" }
            .SelectMany(f => File.ReadLines(Path.Combine(dir, f)))
            .Select(l => UserAgentLine.Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))];
    }
}

/// <summary>
/// A new process's first parse: each launch is a new process and measures one invocation (no warm-up). The global setup
/// builds the rule table, as AutoTrack's startup warm-up does before any request; the parse then builds, and runs for
/// the first time, the rules its user agent needs.
/// </summary>
[SimpleJob(BenchmarkDotNet.Engines.RunStrategy.ColdStart, launchCount: 10, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class UserAgentFirstParseBenchmarks
{
    private UserAgentParser _parser = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ = UserAgentParser.SharedRuleSet;
        _parser = new UserAgentParser();
    }

    [Benchmark]
    public UserAgentInfo FirstParse() => _parser.Parse(FixtureAgents.Chrome);
}
