using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Configuration;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// Reading the options of the moment, as the request path does several times per page view: the monitor's
/// <c>CurrentValue</c> (a cache lookup by name) against <see cref="LiveOptions"/> (a field kept by change notifications).
/// </summary>
[MemoryDiagnoser]
public class OptionsBenchmarks
{
    private ServiceProvider _services = null!;
    private IOptionsMonitor<ThriveStackOptions> _monitor = null!;
    private LiveOptions _live = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchmarkServices.Build(o => { });
        _monitor = _services.GetRequiredService<IOptionsMonitor<ThriveStackOptions>>();
        _live = new LiveOptions(_monitor);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public bool CurrentValue() => _monitor.CurrentValue.Enabled;

    [Benchmark]
    public bool Live() => _live.Current.Enabled;
}
