using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>A web app on TestServer with AutoTrack, fake logs, and its events recorded in memory by the testing kit.</summary>
internal static class TestWebApp
{
    public static WebApplicationBuilder CreateBuilder(Action<ThriveStackOptions>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddThriveStack(o =>
        {
            // These tests check what is parsed, not how fast: a cold regex on a loaded CI machine may pass the 50 ms default.
            o.UserAgents.MatchTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        builder.Services.AddThriveStackTesting();
        return builder;
    }

    public static ThriveStackEventRecorder Events(this WebApplication app) => app.Services.GetRequiredService<ThriveStackEventRecorder>();

    public static FakeLogCollector Logs(this WebApplication app) => app.Services.GetFakeLogCollector();
}

/// <summary>A started test app with its client, recorded events and logs; stopped and disposed with the test.</summary>
internal abstract class TestAppHost(WebApplication app) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public HttpClient Client { get; } = app.GetTestClient();

    public ThriveStackEventRecorder Events => App.Events();

    public FakeLogCollector Logs => App.Logs();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
