using System.Diagnostics;
using System.Text.RegularExpressions;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The three regex engines on every rule, over the fixture user agents each rule runs on: interpreted, compiled and
/// non-backtracking; time per run, construction time, and whether the non-backtracking engine's matches differ.
/// Run: dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- engines
/// </summary>
internal static class EngineProfile
{
    public static void Run()
    {
        var agents = FixtureAgents.Load();
        var rules = UapRuleSet.LoadEmbedded();
        var n = rules.Rules.Length;
        var cand = new List<int>[n];
        for (var r = 0; r < n; r++) cand[r] = [];
        Span<ulong> bits = stackalloc ulong[rules.Words];
        Span<ulong> clauses = stackalloc ulong[rules.ClauseWords];
        Span<int> firstEnd = stackalloc int[rules.ClauseCount];
        for (var a = 0; a < agents.Length; a++)
        {
            rules.Select(agents[a], bits, clauses, firstEnd);
            for (var r = 0; r < n; r++)
                if (rules.IsCandidate(r, bits, clauses)) cand[r].Add(a);
        }
        var interp = new double[n]; var comp = new double[n]; var nb = new double[n];
        var nbBuild = new double[n]; var mismatch = new int[n]; var nbFail = new bool[n];
        for (var r = 0; r < n; r++)
        {
            var rule = rules.Rules[r];
            if (cand[r].Count == 0) continue;
            var ri = rule.CreateRegex(false, TimeSpan.FromSeconds(5));
            var rc = rule.CreateRegex(true, TimeSpan.FromSeconds(5));
            Regex? rn = null;
            var sw = Stopwatch.StartNew();
            try { rn = rule.CreateRegexWith(RegexOptions.NonBacktracking, TimeSpan.FromSeconds(5)); } catch (NotSupportedException) { nbFail[r] = true; }
            nbBuild[r] = sw.Elapsed.TotalMicroseconds;
            for (var pass = 0; pass < 3; pass++)
            foreach (var a in cand[r])
            {
                var t0 = Stopwatch.GetTimestamp();
                var mi = rule.Match(ri, agents[a]);
                var t1 = Stopwatch.GetTimestamp();
                var mc = rule.Match(rc, agents[a]);
                var t2 = Stopwatch.GetTimestamp();
                Match? mn = rn is null ? null : rule.Match(rn, agents[a]);
                var t3 = Stopwatch.GetTimestamp();
                if (pass == 2)
                {
                    interp[r] += Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                    comp[r] += Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
                    nb[r] += Stopwatch.GetElapsedTime(t2, t3).TotalMicroseconds;
                    if (mn is not null && !Same(mi, mn)) mismatch[r]++;
                }
            }
        }
        Console.WriteLine($"per-UA totals: interpreted {interp.Sum() / agents.Length:F1} us, compiled {comp.Sum() / agents.Length:F1} us, nonbacktracking {nb.Sum() / agents.Length:F1} us; NB unsupported {nbFail.Count(x => x)}, rules with NB mismatches {mismatch.Count(x => x > 0)}");
        foreach (var r in Enumerable.Range(0, n).OrderByDescending(r => interp[r]).Take(25))
            Console.WriteLine($"rule {r,4} runs {cand[r].Count,5} per run: interp {interp[r] / Math.Max(1, cand[r].Count),7:F2} comp {comp[r] / Math.Max(1, cand[r].Count),7:F2} nb {nb[r] / Math.Max(1, cand[r].Count),7:F2} us; nb build {nbBuild[r] / 1000,6:F1} ms mism {mismatch[r]} {rules.Rules[r].Pattern[..Math.Min(70, rules.Rules[r].Pattern.Length)]}");
        foreach (var r in Enumerable.Range(0, n).Where(r => mismatch[r] > 0).Take(10))
            Console.WriteLine($"MISMATCH rule {r}: {mismatch[r]} {rules.Rules[r].Pattern[..Math.Min(100, rules.Rules[r].Pattern.Length)]}");
    }

    private static bool Same(Match a, Match b)
    {
        if (a.Success != b.Success) return false;
        if (!a.Success) return true;
        if (a.Index != b.Index || a.Length != b.Length || a.Groups.Count != b.Groups.Count) return false;
        for (var g = 1; g < a.Groups.Count; g++)
            if (a.Groups[g].Success != b.Groups[g].Success || a.Groups[g].Value != b.Groups[g].Value) return false;
        return true;
    }
}
