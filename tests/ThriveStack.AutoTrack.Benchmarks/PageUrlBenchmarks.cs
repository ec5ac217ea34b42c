using BenchmarkDotNet.Attributes;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// A page view's query string: the UTM values picked out and every parameter name checked against the redaction list
/// and the password/token/secret fragments. Run on every tracked page view that has a query.
/// </summary>
[MemoryDiagnoser]
public class PageUrlBenchmarks
{
    private static readonly PrivacyOptions Privacy = new();

    /// <summary>A campaign link's query: three UTM parameters, nothing to redact.</summary>
    [Benchmark]
    public string ProcessQuery_Utm() => PageUrl.ProcessQuery("?utm_source=newsletter&utm_medium=email&utm_campaign=summer", Privacy, out _);

    /// <summary>An app's own query: five ordinary parameters, nothing to redact.</summary>
    [Benchmark]
    public string ProcessQuery_AppParameters() => PageUrl.ProcessQuery("?page=2&sort=name&dir=asc&filter=active&view=grid", Privacy, out _);
}
