using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ThriveStack.AutoTrack.Tests;

public class ThriveStackOptionsValidationTests
{
    public static TheoryData<string, Action<ThriveStackOptions>> InvalidOptions => new()
    {
        { "is not an absolute URL", o => o.Endpoint = new Uri("/api/track", UriKind.Relative) },
        { "ThriveStack:Endpoint is missing", o => o.Endpoint = null },
        { "plain http to a non-loopback host", o => o.Endpoint = new Uri("http://api.example.com/api/track") },
        { "must use https", o => o.Endpoint = new Uri("ftp://api.example.com/api/track") },
        { "ThriveStack:BatchSize is", o => o.BatchSize = 0 },
        { "ThriveStack:BatchSize is", o => o.BatchSize = -5 },
        { "ThriveStack:MaxBatchBytes is 0; it must be between 1024", o => o.MaxBatchBytes = 0 },
        { "ThriveStack:BatchSize is 1001; it must be between 1 and 1000 (default 500): the API takes at most 1,000 records per request.", o => o.BatchSize = 1001 },
        { "ThriveStack:MaxBatchBytes is 2000001; it must be between 1024 and 2000000 (default 524288): the API takes at most 2 MB of JSON per request.", o => o.MaxBatchBytes = 2_000_001 },
        { "ThriveStack:MaxQueueSize is 0; it must be between 1 and 1000000 (default 10000)", o => o.MaxQueueSize = 0 },
        { "ThriveStack:FlushInterval", o => o.FlushInterval = TimeSpan.Zero },
        { "ThriveStack:ShutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1) },
        { "ThriveStack:RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "ThriveStack:ApiKey is required", o => { o.RequireApiKey = true; o.ApiKey = " "; } },
        { "ThriveStack:RetryBaseDelay is 00:00:00.0010000; it must be at least", o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
        { "at most RetryMaxDelay", o => { o.RetryBaseDelay = TimeSpan.FromMinutes(2); o.RetryMaxDelay = TimeSpan.FromMinutes(1); } },
        { "ThriveStack:RetryMaxDelay", o => o.RetryMaxDelay = TimeSpan.FromHours(2) },
        { "ThriveStack:KeyRefusedRetryInterval", o => o.KeyRefusedRetryInterval = TimeSpan.Zero },
        { "ThriveStack:MaxSpoolBytes is 1000; it must be between 1048576 (1 MiB)", o => o.MaxSpoolBytes = 1000 },
        { "ThriveStack:Durability is 7; use Disk (default) or Memory", o => o.Durability = (EventDurability)7 },
        { "ThriveStack:EventsPage:Capacity is 0; it must be between 1 and 100000 (default 500)", o => o.EventsPage.Capacity = 0 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task Start_MalformedOptions_FailsWithMessageNamingTheSetting(string expected, Action<ThriveStackOptions> configure)
    {
        using var host = Build(o =>
        {
            o.ApiKey = "k";
            configure(o);
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api/track")]
    [InlineData("http://localhost:5000/api/track")]
    [InlineData("http://[::1]:5000/api/track")]
    [InlineData("https://api.app.thrivestack.ai/api/track")]
    public async Task Start_HttpsOrLoopbackHttp_Accepted(string endpoint)
    {
        using var host = Build(o => { o.ApiKey = "k"; o.Endpoint = new Uri(endpoint); });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_MissingKeyWithoutRequireApiKey_DoesNotFail()
    {
        using var host = Build(o => o.ApiKey = null);

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_EndpointWithUserInfo_MessageOmitsIt()
    {
        using var host = Build(o => { o.ApiKey = "k"; o.Endpoint = new Uri("http://user:hunter2@api.example.com/api/track"); });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        var o = new ThriveStackOptions();

        Assert.Equal(new Uri("https://api.app.thrivestack.ai/api/track"), o.Endpoint);
        Assert.True(o.Enabled);
        Assert.Equal(500, o.BatchSize);
        Assert.Equal(512 * 1024, o.MaxBatchBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), o.FlushInterval);
        Assert.Equal(10_000, o.MaxQueueSize);
        Assert.Equal(TimeSpan.FromSeconds(5), o.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), o.RequestTimeout);
        Assert.False(o.RequireApiKey);
        Assert.False(o.StrictEventNames);
        Assert.Null(o.ApiKey);
    }

    [Fact]
    public void AddThriveStack_Configuration_BindsEnvironmentStyleKeys()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ThriveStack:ApiKey"] = "abc",
            ["ThriveStack:Endpoint"] = "https://collector.example.com/api/track",
            ["ThriveStack:FlushInterval"] = "00:00:02",
            ["ThriveStack:BatchSize"] = "25",
            ["ThriveStack:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging();

        services.AddThriveStack();
        var o = services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value;

        Assert.Equal("abc", o.ApiKey);
        Assert.Equal(new Uri("https://collector.example.com/api/track"), o.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(2), o.FlushInterval);
        Assert.Equal(25, o.BatchSize);
        Assert.False(o.Enabled);
    }

    [Fact]
    public void AddThriveStack_EnvironmentVariables_Bound()
    {
        var name = "ThriveStack__BatchSize";
        Environment.SetEnvironmentVariable(name, "42");
        try
        {
            var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging();

            services.AddThriveStack();

            Assert.Equal(42, services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value.BatchSize);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void AddThriveStack_ExplicitSection_Bound()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Analytics:BatchSize"] = "7" }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddThriveStack(config.GetSection("Analytics"));

        Assert.Equal(7, services.BuildServiceProvider().GetRequiredService<IOptions<ThriveStackOptions>>().Value.BatchSize);
    }

    private static IHost Build(Action<ThriveStackOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddThriveStack(o =>
        {
            o.Durability = EventDurability.Memory; // these hosts only start and stop: leave no spool in the temp directory
            configure(o);
        });
        return builder.Build();
    }
}
