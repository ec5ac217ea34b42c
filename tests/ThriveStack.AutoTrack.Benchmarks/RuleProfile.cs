using System.Diagnostics;
using System.Text.RegularExpressions;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

internal static class RuleProfile
{
    public static void Run()
    {
        var agents = FixtureAgents.Load();
        var rules = UapRuleSet.LoadEmbedded();
        var regexes = rules.Rules.Select(r => r.CreateRegex(false, TimeSpan.FromSeconds(5))).ToArray();
        var total = new double[rules.Rules.Length];
        var runs = new int[rules.Rules.Length];
        Span<ulong> bits = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        for (var pass = 0; pass < 2; pass++)
        foreach (var agent in agents)
        {
            rules.Select(agent, bits, clauses);
            for (var r = 0; r < rules.Rules.Length; r++)
            {
                if (!rules.IsCandidate(r, bits, clauses))
                    continue;
                var start = Stopwatch.GetTimestamp();
                rules.Rules[r].Match(regexes[r], agent);
                if (pass == 1) { total[r] += Stopwatch.GetElapsedTime(start).TotalMicroseconds; runs[r]++; }
            }
        }
        var scan = Stopwatch.StartNew();
        foreach (var agent in agents)
            rules.Select(agent, bits, clauses);
        Console.WriteLine($"scan only: {scan.Elapsed.TotalMicroseconds / agents.Length:F1} us per UA; regex total {total.Sum() / agents.Length:F1} us per UA");
        foreach (var r in Enumerable.Range(0, total.Length).OrderByDescending(r => total[r]).Take(12))
            Console.WriteLine($"{total[r] / agents.Length,7:F2} us/UA  runs {runs[r],5}  rule {r}: {rules.Rules[r].Pattern[..Math.Min(110, rules.Rules[r].Pattern.Length)]}  clauses: {string.Join(" & ", RegexLiterals.RequiredClauses(rules.Rules[r].Pattern).Select(c => "[" + string.Join("|", c.Take(4)) + "]"))}");
    }
}
