using System.Diagnostics;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// What BenchmarkDotNet cannot show: a new process's rule-table build and first parses, and the distribution (mean,
/// p50, p99, max) of uncached parses over the fixture user agents, interpreted and with tiered compilation.
/// Run: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- coldstart
/// </summary>
internal static class UserAgentColdStart
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string Googlebot = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    public static void Run()
    {
        // A new process: nothing of the parser has run yet.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var rules = UserAgentParser.SharedRuleSet;
        var build = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var parser = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0 });
        var firsts = new List<string>();
        foreach (var agent in new[] { FixtureAgents.Chrome, Firefox, Googlebot })
        {
            watch.Restart();
            parser.Parse(agent);
            firsts.Add($"{watch.Elapsed.TotalMilliseconds:F2} ms");
        }
        Console.WriteLine($"new process: rule table build {build.TotalMilliseconds:F1} ms, {allocated / 1048576.0:F2} MiB allocated; first parses (Chrome, then Firefox, then Googlebot): {string.Join(", ", firsts)}");

        var agents = FixtureAgents.Load();
        Span<ulong> bits = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[rules.ClauseCount];
        long candidates = 0;
        foreach (var agent in agents)
        {
            rules.Select(agent, bits, clauses, firstEnd);
            for (var r = 0; r < rules.Rules.Length; r++)
            {
                if (rules.IsCandidate(r, bits, clauses))
                    candidates++;
            }
        }
        Console.WriteLine($"rules {rules.Rules.Length}, clauses {rules.ClauseCount}, automaton states {rules.Automaton.StateCount} ({rules.Automaton.TableBytes / 1024} KiB), mean candidate rules per UA {candidates / (double)agents.Length:F1}");

        foreach (var compiled in new[] { false, true })
        {
            var steady = new UserAgentParser(new UserAgentParserOptions { CacheSize = 0, CompileRegexes = compiled });
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var agent in agents)
                    steady.ParseUncached(agent);
                while (steady.UpgradesPending)
                    Thread.Sleep(100);
            }
            Thread.Sleep(TimeSpan.FromSeconds(2)); // tiered JIT of the parser's own code

            const int Passes = 5;
            var times = new double[Passes, agents.Length];
            var gcs = GC.CollectionCount(0);
            for (var pass = 0; pass < Passes; pass++)
            {
                for (var i = 0; i < agents.Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    steady.ParseUncached(agents[i]);
                    times[pass, i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }
            gcs = GC.CollectionCount(0) - gcs;
            var slowByPass = Enumerable.Range(0, Passes).Select(p => Enumerable.Range(0, agents.Length).Count(i => times[p, i] > 500)).ToArray();
            Console.WriteLine($"  parses over 500 us, by pass: {string.Join(", ", slowByPass)}");
            var all = new double[Passes * agents.Length];
            var medians = new double[agents.Length];
            for (var i = 0; i < agents.Length; i++)
            {
                var mine = new double[Passes];
                for (var pass = 0; pass < Passes; pass++)
                    all[pass * agents.Length + i] = mine[pass] = times[pass, i];
                Array.Sort(mine);
                medians[i] = mine[Passes / 2];
            }
            var slowest = Enumerable.Range(0, agents.Length).OrderByDescending(i => medians[i]).Take(5).ToList();
            Array.Sort(all);
            Array.Sort(medians);
            var mode = compiled ? "tiered compilation (default)" : "interpreted";
            Console.WriteLine($"{mode}: {agents.Length} UAs x {Passes} passes: mean {all.Average():F1} us, p50 {all[all.Length / 2]:F1} us, " +
                $"p99 {all[(int)(all.Length * 0.99)]:F1} us, max {all[^1]:F0} us ({gcs} gen0 GCs); per-UA medians: p99 {medians[(int)(medians.Length * 0.99)]:F1} us, max {medians[^1]:F0} us");
            foreach (var i in slowest)
                Console.WriteLine($"  slowest (median): {times[0, i],6:F0} us  {agents[i][..Math.Min(110, agents[i].Length)]}");
        }
    }
}
