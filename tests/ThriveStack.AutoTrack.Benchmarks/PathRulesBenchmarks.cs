using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// Whether a path may be tracked, against the default exclude patterns (fourteen) and two of the app's own: run for every
/// request that may be a page view.
/// </summary>
[MemoryDiagnoser]
public class PathRulesBenchmarks
{
    private readonly PageVisitRules _rules = new(new PageVisitOptions { ExcludePaths = ["/admin/*", "*.php"] });

    /// <summary>A page: no pattern's text matches it.</summary>
    [Benchmark(Baseline = true)]
    public bool Page() => _rules.IsPathTracked("/pricing");

    /// <summary>A page whose path starts as an excluded prefix does (<c>/api/*</c> against <c>/apps</c>).</summary>
    [Benchmark]
    public bool PageNearAPrefix() => _rules.IsPathTracked("/apps/billing");

    /// <summary>An excluded path.</summary>
    [Benchmark]
    public bool Excluded() => _rules.IsPathTracked("/healthz");
}
