using System.Diagnostics;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// Where uncached parsing time goes, rule by rule: the scan alone, each rule's share overall, and the rules that make
/// the slowest user agents slow (median of 5 passes per user agent and rule, so a GC pause does not count).
/// Run: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- profile [interpreted]
/// </summary>
internal static class RuleProfile
{
    public static void Run(bool compiled)
    {
        const int Passes = 5;
        var agents = FixtureAgents.Load();
        var rules = UapRuleSet.LoadEmbedded();
        var regexes = rules.Rules.Select(r => r.CreateRegex(compiled, TimeSpan.FromSeconds(5))).ToArray();
        Span<ulong> bits = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[rules.ClauseCount];
        var samples = new Dictionary<(int Agent, int Rule), double[]>();
        for (var pass = -1; pass < Passes; pass++)
        {
            for (var a = 0; a < agents.Length; a++)
            {
                rules.Select(agents[a], bits, clauses, firstEnd);
                for (var r = 0; r < rules.Rules.Length; r++)
                {
                    if (!rules.IsCandidate(r, bits, clauses))
                        continue;
                    var start = Stopwatch.GetTimestamp();
                    rules.Rules[r].Match(regexes[r], agents[a], rules.StartBound(r, firstEnd));
                    if (pass >= 0)
                        (samples.TryGetValue((a, r), out var s) ? s : samples[(a, r)] = new double[Passes])[pass] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }
        }
        var median = samples.ToDictionary(p => p.Key, p => p.Value.Order().ElementAt(Passes / 2));
        var perAgent = new double[agents.Length];
        var perRule = new double[rules.Rules.Length];
        var runs = new int[rules.Rules.Length];
        foreach (var ((a, r), us) in median)
        {
            perAgent[a] += us;
            perRule[r] += us;
            runs[r]++;
        }
        var scan = Stopwatch.StartNew();
        for (var pass = 0; pass < Passes; pass++)
        {
            foreach (var agent in agents)
                rules.Select(agent, bits, clauses, firstEnd);
        }
        var sorted = perAgent.Order().ToArray();
        Console.WriteLine($"{(compiled ? "compiled" : "interpreted")}: scan {scan.Elapsed.TotalMicroseconds / agents.Length / Passes:F1} us per UA; regexes per UA (medians): mean {perAgent.Average():F1} us, p99 {sorted[(int)(sorted.Length * 0.99)]:F1} us");
        Console.WriteLine("rules by total time:");
        foreach (var r in Enumerable.Range(0, perRule.Length).OrderByDescending(r => perRule[r]).Take(8))
            Console.WriteLine($"{perRule[r] / agents.Length,7:F2} us/UA  runs {runs[r],5}  rule {r}: {Short(rules.Rules[r].Pattern)}");
        var slow = Enumerable.Range(0, agents.Length).Where(a => perAgent[a] >= sorted[(int)(sorted.Length * 0.98)]).ToHashSet();
        Console.WriteLine($"the slowest 2% ({slow.Count} UAs, from {sorted[(int)(sorted.Length * 0.98)]:F0} us): their time by rule");
        foreach (var group in median.Where(p => slow.Contains(p.Key.Agent)).GroupBy(p => p.Key.Rule).OrderByDescending(g => g.Sum(p => p.Value)).Take(8))
            Console.WriteLine($"{group.Sum(p => p.Value) / slow.Count,7:F1} us/UA  runs {group.Count(),3}  rule {group.Key}: {Short(rules.Rules[group.Key].Pattern)}");
        foreach (var a in slow.OrderByDescending(a => perAgent[a]).Take(6))
            Console.WriteLine($"  {perAgent[a],6:F0} us  {agents[a][..Math.Min(120, agents[a].Length)]}");
    }

    private static string Short(string pattern) => pattern[..Math.Min(100, pattern.Length)];
}
