using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests;

public class ThriveStackServiceCollectionExtensionsTests
{
    [Fact]
    public void AddThriveStack_CalledTwice_RegistersOneDispatcherAndTracker()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());

        services.AddThriveStack(o => o.ApiKey = "k");
        services.AddThriveStack(o => o.BatchSize = 5);
        using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().OfType<EventDispatcher>().ToList();
        Assert.Single(hosted);
        Assert.Same(provider.GetRequiredService<EventDispatcher>(), hosted[0]);
        Assert.Single(services, d => d.ServiceType == typeof(IThriveStackTracker));
        var o = provider.GetRequiredService<IOptions<ThriveStackOptions>>().Value;
        Assert.Equal("k", o.ApiKey);
        Assert.Equal(5, o.BatchSize);
    }

    [Fact]
    public void AddThriveStack_TrackerIsSingleton()
    {
        using var provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddThriveStack().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IThriveStackTracker>(), provider.GetRequiredService<IThriveStackTracker>());
    }
}
