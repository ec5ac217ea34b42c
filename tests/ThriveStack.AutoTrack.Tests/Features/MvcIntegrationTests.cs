using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Features;

namespace ThriveStack.AutoTrack.Tests.Features;

/// <summary>The feature conventions reach MVC's and Razor Pages' options whichever is added first, once, and nothing else.</summary>
public class MvcIntegrationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Conventions_AreAddedOnce_WhetherMvcComesBeforeOrAfterAutoTrack(bool mvcFirst)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        if (mvcFirst)
            services.AddRazorPages().AddControllersAsServices();
        services.AddThriveStack(o => o.ApiKey = "k");
        services.AddThriveStack(o => o.ApiKey = "k");
        if (!mvcFirst)
            services.AddRazorPages().AddControllersAsServices();
        using var provider = services.BuildServiceProvider();

        // MVC wraps an action convention in an adapter of its own: count against an app without AutoTrack.
        var bare = new ServiceCollection();
        bare.AddLogging();
        bare.AddRazorPages().AddControllersAsServices();
        using var bareProvider = bare.BuildServiceProvider();
        Assert.Equal(bareProvider.GetRequiredService<IOptions<MvcOptions>>().Value.Conventions.Count + 1,
            provider.GetRequiredService<IOptions<MvcOptions>>().Value.Conventions.Count);
        // Razor Pages' own setup replaces its conventions collection: added before it, the convention would be lost.
        Assert.Single(provider.GetRequiredService<IOptions<RazorPagesOptions>>().Value.Conventions.OfType<FeatureTrackingConvention>());
    }

    [Fact]
    public void OtherOptions_AreLeftAlone()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddThriveStack(o => o.ApiKey = "k");
        services.Configure<RouteLikeOptions>(o => o.Name = "set");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("set", provider.GetRequiredService<IOptions<RouteLikeOptions>>().Value.Name);
        Assert.Equal("k", provider.GetRequiredService<IOptions<ThriveStackOptions>>().Value.ApiKey);
    }

    public sealed class RouteLikeOptions
    {
        public string? Name { get; set; }
    }
}
