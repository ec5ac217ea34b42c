using System.Diagnostics;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// What BenchmarkDotNet cannot show: a process's first parse (rule table build plus first regex use), and the
/// distribution (mean, p50, p99) of uncached parses over the fixture user agents, first use included.
/// Run: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- coldstart
/// </summary>
internal static class UserAgentColdStart
{
    public static void Run()
    {
        var agents = FixtureAgents.Load();
        var rules = UapRuleSet.LoadEmbedded();
        var always = rules.AlwaysRun.Sum(w => System.Numerics.BitOperations.PopCount(w));
        Span<ulong> bits = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        long candidates = 0;
        foreach (var agent in agents)
        {
            rules.Select(agent, bits, clauses);
            for (var r = 0; r < rules.Rules.Length; r++)
            {
                if (rules.IsCandidate(r, bits, clauses))
                    candidates++;
            }
        }
        var shortest = new Dictionary<int, int>();
        foreach (var rule in rules.Rules)
        {
            var clauseSets = RegexLiterals.RequiredClauses(rule.Pattern);
            var len = clauseSets.Count == 0 ? 0 : Math.Min(clauseSets.Max(c => c.Min(l => l.Length)), 5);
            shortest[len] = shortest.GetValueOrDefault(len) + 1;
        }
        Console.WriteLine($"rules {rules.Rules.Length}, always-run {always}, automaton nodes {rules.Automaton.NodeCount}, mean candidates per UA {candidates / (double)agents.Length:F1}");
        Console.WriteLine("rules by shortest required literal (0 = none, 5 = 5+): " + string.Join(", ", shortest.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")));
        foreach (var compiled in new[] { false, true })
        {
            var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0, CompileRegexes = compiled });
            var watch = Stopwatch.StartNew();
            parser.Parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
            var first = watch.Elapsed;

            foreach (var pass in new[] { "first pass", "second pass", "steady state" })
            {
                if (pass == "steady state")
                    Thread.Sleep(TimeSpan.FromSeconds(compiled ? 20 : 1)); // let tiered compilation of the rules used finish
                var times = new double[agents.Length];
                for (var i = 0; i < agents.Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    parser.ParseUncached(agents[i]);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
                if (pass == "steady state" && compiled)
                {
                    foreach (var i in Enumerable.Range(0, agents.Length).OrderByDescending(i => times[i]).Take(8))
                        Console.WriteLine($"  slow: {times[i],8:F0} us  {agents[i][..Math.Min(150, agents[i].Length)]}");
                }
                Array.Sort(times);
                Console.WriteLine($"compiled={compiled} {pass}: {agents.Length} UAs, mean {times.Average():F1} us, p50 {times[times.Length / 2]:F1} us, p99 {times[(int)(times.Length * 0.99)]:F1} us, max {times[^1]:F0} us");
            }
            Console.WriteLine($"compiled={compiled} first parse in a new process (table build included): {first.TotalMilliseconds:F1} ms");
        }
    }
}
