using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>The real tracker and dispatcher, not started, so a benchmark measures the producer side alone.</summary>
internal static class BenchmarkTracker
{
    public static (ThriveStackTracker Tracker, EventDispatcher Dispatcher) Create(int maxQueueSize)
    {
        var options = new ThriveStackOptions { ApiKey = "bench", MaxQueueSize = maxQueueSize };
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new ThriveStackMetrics(meters);
        var dispatcher = new EventDispatcher(new NullBatchTransport(), Options.Create(options), TimeProvider.System, metrics, NullLogger<EventDispatcher>.Instance);
        var tracker = new ThriveStackTracker(dispatcher, new StaticOptionsMonitor(options), TimeProvider.System, metrics, NullLogger<ThriveStackTracker>.Instance);
        return (tracker, dispatcher);
    }


    private sealed class StaticOptionsMonitor(ThriveStackOptions value) : IOptionsMonitor<ThriveStackOptions>
    {
        public ThriveStackOptions CurrentValue => value;

        public ThriveStackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ThriveStackOptions, string?> listener) => null;
    }
}
