using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>One collector per test: starts on a free loopback port, stops after the test.</summary>
public abstract class CollectorTestBase : IAsyncLifetime
{
    protected ThriveStackCollector Collector { get; set; } = null!;

    public async Task InitializeAsync() => Collector = await ThriveStackCollector.StartAsync();

    public virtual async Task DisposeAsync() => await Collector.DisposeAsync();
}
