using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Configuration;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Tests.Configuration;

/// <summary>Configuration mistakes are loud: misspelled keys, values that do not convert, lists given as one value.</summary>
public class ConfigurationMistakeTests
{
    [Theory]
    [InlineData("ThriveStack:BatchSise", "500", "'ThriveStack:BatchSise' is not an AutoTrack option and is ignored. Did you mean 'ThriveStack:BatchSize'?")]
    [InlineData("ThriveStack:FlushIntreval", "00:00:01", "Did you mean 'ThriveStack:FlushInterval'?")]
    [InlineData("ThriveStack:PageVisits:ExludePaths:0", "/a", "'ThriveStack:PageVisits:ExludePaths' is not an AutoTrack option and is ignored. Did you mean 'ThriveStack:PageVisits:ExcludePaths'?")]
    [InlineData("ThriveStack:ExcludePaths:0", "/a", "Did you mean 'ThriveStack:PageVisits:ExcludePaths'?")]
    [InlineData("ThriveStack:apikey_", "k", "Did you mean 'ThriveStack:ApiKey'?")]
    [InlineData("ThriveStack:useragents:trackbot", "true", "Did you mean 'ThriveStack:UserAgents:TrackBots'?")]
    [InlineData("ThriveStack:PageVisits:Filter", "x", "'ThriveStack:PageVisits:Filter' is a callback, which can only be set in code")]
    public async Task UnknownKey_WarnsAtStartupNamingTheClosestValidKey(string key, string value, string expected)
    {
        var (host, logs) = Build(new() { [key] = value });
        using (host)
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == LogEvents.UnknownConfigurationKey);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(expected, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_Gibberish_WarnsWithoutASuggestion()
    {
        var (host, logs) = Build(new() { ["ThriveStack:Zzqxv"] = "1" });
        using (host)
            await host.StartAsync();

        var line = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == LogEvents.UnknownConfigurationKey);
        Assert.DoesNotContain("Did you mean", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryDocumentedKey_NoWarning()
    {
        var (host, logs) = Build(new()
        {
            ["ThriveStack:ApiKey"] = "k",
            ["ThriveStack:FlushInterval"] = "00:00:05",
            ["ThriveStack:Durability"] = "memory",
            ["ThriveStack:Enabled"] = "True",
            ["ThriveStack:MaxSpoolBytes"] = "1048576",
            ["ThriveStack:PageVisits:ExcludePaths:0"] = "/admin/*",
            ["ThriveStack:Identity:MarketingPathPrefixes:0"] = "/pricing",
            ["ThriveStack:Privacy:HonorDoNotTrack"] = "true",
            ["ThriveStack:Privacy:WithoutConsent"] = "DoNotTrack",
            ["ThriveStack:UserAgents:TrackBots"] = "false",
            ["ThriveStack:UserAgents:MatchTimeout"] = "00:00:00.05",
            ["ThriveStack:Features:TrackFailures"] = "true",
            ["ThriveStack:EventsPage:Capacity"] = "100",
        });
        using (host)
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Id == LogEvents.UnknownConfigurationKey);
    }

    [Theory]
    [InlineData("ThriveStack:Durability", "Disc", "ThriveStack:Durability is 'Disc', which is not valid: use Disk or Memory.")]
    [InlineData("ThriveStack:Enabled", "yes", "ThriveStack:Enabled is 'yes', which is not valid: use true or false.")]
    [InlineData("ThriveStack:PageVisits:Enabled", "on", "ThriveStack:PageVisits:Enabled is 'on', which is not valid: use true or false.")]
    [InlineData("ThriveStack:Privacy:WithoutConsent", "Skip", "use TrackWithoutIdentifiers or DoNotTrack.")]
    [InlineData("ThriveStack:BatchSize", "lots", "ThriveStack:BatchSize is 'lots', which is not valid: use a whole number such as 500.")]
    [InlineData("ThriveStack:FlushInterval", "5s", "use a duration as [d.]hh:mm:ss[.fff], such as 00:00:05 for 5 seconds.")]
    public async Task ValueThatDoesNotConvert_FailsStartupListingTheValidValues(string key, string value, string expected)
    {
        var (host, _) = Build(new() { [key] = value });
        using (host)
        {
            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ListGivenAsOneValue_IsSplitAtCommasAndSemicolons()
    {
        var o = Options(new()
        {
            ["ThriveStack:PageVisits:ExcludePaths"] = "/x, /y;/z",
            ["ThriveStack:Identity:MarketingPathPrefixes"] = "/pricing",
            ["ThriveStack:Privacy:RedactedQueryParameters"] = "invoice",
        });

        Assert.Equal(["/x", "/y", "/z"], o.PageVisits.ExcludePaths);
        Assert.Equal(["/pricing"], o.Identity.MarketingPathPrefixes);
        Assert.Contains("invoice", o.Privacy.RedactedQueryParameters);
        Assert.Contains("password", o.Privacy.RedactedQueryParameters); // the defaults stay
    }

    [Fact]
    public void ListGivenAsOneValueAndAsItems_KeepsBoth()
    {
        var o = Options(new()
        {
            ["ThriveStack:PageVisits:ExcludePaths"] = "/x",
            ["ThriveStack:PageVisits:ExcludePaths:0"] = "/a",
        });

        Assert.Equal(["/a", "/x"], o.PageVisits.ExcludePaths);
    }

    [Fact]
    public void ListGivenAsOneEnvironmentVariable_IsBound()
    {
        const string name = "ThriveStack__PageVisits__ExcludePaths";
        Environment.SetEnvironmentVariable(name, "/x");
        try
        {
            var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging();
            services.AddThriveStack();

            Assert.Equal(["/x"], services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value.PageVisits.ExcludePaths);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void ExplicitSection_CheckedToo()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Analytics:Durability"] = "Disc" }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddThriveStack(config.GetSection("Analytics"));

        var ex = Assert.Throws<OptionsValidationException>(() => services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value);

        Assert.Contains("Analytics:Durability is 'Disc'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_EveryListOption_CanTakeOneValue()
    {
        var lists = OptionsSchema.AllPaths()
            .Where(p => OptionsSchema.KeysOf(p.Contains(':') ? p[..p.LastIndexOf(':')] : "")![p[(p.LastIndexOf(':') + 1)..]].Kind == OptionKind.List)
            .ToList();

        Assert.Equal(5, lists.Count);
        Assert.All(lists, p => Assert.NotNull(ListsFromOneValue.ListAt(new ThriveStackOptions(), p)));
    }

    [Theory]
    [InlineData("BatchSise", "BatchSize", 1)]
    [InlineData("FlushIntreval", "FlushInterval", 1)]
    [InlineData("apikey", "ApiKey", 0)]
    [InlineData("", "abc", 3)]
    public void Distance_CountsEditsIgnoringCase(string a, string b, int expected)
        => Assert.Equal(expected, ConfigurationCheck.Distance(a, b));

    private static ThriveStackOptions Options(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging();
        services.AddThriveStack();
        return services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value;
    }

    private static (IHost Host, FakeLogCollector Logs) Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ThriveStack:Durability"] = settings.GetValueOrDefault("ThriveStack:Durability") ?? "Memory" });
        builder.Logging.AddFakeLogging();
        builder.Services.AddThriveStack();
        var host = builder.Build();
        return (host, host.Services.GetRequiredService<FakeLogCollector>());
    }
}
