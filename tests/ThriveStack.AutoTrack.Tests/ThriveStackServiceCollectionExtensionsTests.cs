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

        var hosted = provider.GetServices<IHostedService>().OfType<DeliveryPipelines>().ToList();
        Assert.Single(hosted);
        Assert.Same(provider.GetRequiredService<EventDispatcher>(), hosted[0].Track);
        Assert.Equal([RecordKind.Track, RecordKind.Identify, RecordKind.Group], hosted[0].All.Select(p => p.Kind));
        Assert.Empty(provider.GetServices<IHostedService>().OfType<EventDispatcher>());
        Assert.Single(services, d => d.ServiceType == typeof(IThriveStackTracker));
        var o = provider.GetRequiredService<IOptions<ThriveStackOptions>>().Value;
        Assert.Equal("k", o.ApiKey);
        Assert.Equal(5, o.BatchSize);
    }

    [Fact]
    public void AddThriveStack_SameSectionManyWays_BoundOnce_ListsNotDoubled()
    {
        var configuration = ExcludingAAndB();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);

        services.AddThriveStack();
        services.AddThriveStack(o => o.ApiKey = "k");
        services.AddThriveStack(configuration.GetSection("ThriveStack"));
        services.AddThriveStack(configuration.GetSection("ThriveStack"));
        using var provider = services.BuildServiceProvider();

        var o = provider.GetRequiredService<IOptions<ThriveStackOptions>>().Value;
        // The ThriveStack section, whether found by AddThriveStack() or passed in, is bound once.
        Assert.Equal(["/a", "/b"], o.PageVisits.ExcludePaths);
        Assert.Equal("k", o.ApiKey);
    }

    [Fact]
    public void AddThriveStack_DefaultSectionTwice_BoundOnce()
    {
        var configuration = ExcludingAAndB();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);

        services.AddThriveStack();
        services.AddThriveStack(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        Assert.Equal(["/a", "/b"], provider.GetRequiredService<IOptions<ThriveStackOptions>>().Value.PageVisits.ExcludePaths);
    }

    [Fact]
    public void AddThriveStack_TrackerIsSingleton()
    {
        using var provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddThriveStack().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IThriveStackTracker>(), provider.GetRequiredService<IThriveStackTracker>());
    }

    private static IConfigurationRoot ExcludingAAndB() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ThriveStack:PageVisits:ExcludePaths:0"] = "/a",
        ["ThriveStack:PageVisits:ExcludePaths:1"] = "/b",
    }).Build();
}
