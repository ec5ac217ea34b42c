using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>The README says which options follow a configuration reload; these hold it to that.</summary>
public class OptionsReloadTests
{
    [Fact]
    public async Task Reload_EnabledAndExcludePaths_TakeEffectOnTheNextRequest()
    {
        var settings = new ReloadableSource();
        var builder = TestWebApp.CreateBuilder(null);
        builder.Configuration.Sources.Add(settings);
        await using var app = new ReloadApp(builder);

        await app.VisitAsync("/reports");
        settings.Change("ThriveStack:Enabled", "false");
        await app.VisitAsync("/reports");
        settings.Change("ThriveStack:Enabled", "true");
        settings.Change("ThriveStack:PageVisits:ExcludePaths:0", "/admin/*");
        await app.VisitAsync("/admin/users");
        await app.VisitAsync("/dashboard");

        var events = await app.Events.FlushAsync();
        Assert.Equal(["/reports", "/dashboard"], events.Select(e => e.Property("page_path")));
    }

    /// <summary>The browser script's endpoints follow a reload of <c>Browser:Enabled</c> on the next request.</summary>
    [Fact]
    public async Task Reload_BrowserEnabled_TakesEffectOnTheNextRequest()
    {
        var settings = new ReloadableSource();
        var builder = TestWebApp.CreateBuilder(null);
        builder.Configuration.Sources.Add(settings);
        await using var app = new ReloadApp(builder);

        using var before = await app.Client.GetAsync("/_thrivestack/autotrack.js");
        settings.Change("ThriveStack:Browser:Enabled", "false");
        using var after = await app.Client.GetAsync("/_thrivestack/autotrack.js");

        Assert.Contains("javascript", before.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal("text/html", after.Content.Headers.ContentType?.MediaType); // the app's own route has it now
    }

    /// <summary>The tracker keeps the options it is told of on a change: the default instance's, not a named one's.</summary>
    [Fact]
    public async Task Reload_Enabled_TakesEffectOnTheNextTrack_ANamedInstanceDoesNot()
    {
        var settings = new ReloadableSource();
        var builder = TestWebApp.CreateBuilder(null);
        builder.Configuration.Sources.Add(settings);
        var otherSettings = new ReloadableSource(); // its own source, so its change notifies the named instance alone
        builder.Services.Configure<ThriveStackOptions>("other", new ConfigurationBuilder().Add(otherSettings).Build());
        await using var app = new ReloadApp(builder);
        var tracker = app.App.Services.GetRequiredService<IThriveStackTracker>();

        otherSettings.Change("Enabled", "false"); // a named instance changes: the tracker's stays as it is
        Assert.True(tracker.Track(new ThriveStackEvent("report_exported", "u1")));
        settings.Change("ThriveStack:Enabled", "false");
        Assert.False(tracker.Track(new ThriveStackEvent("report_exported", "u1")));
        settings.Change("ThriveStack:Enabled", "true");
        Assert.True(tracker.Track(new ThriveStackEvent("report_exported", "u1")));
    }

    private sealed class ReloadApp : TestAppHost
    {
        public ReloadApp(WebApplicationBuilder builder)
            : base(Build(builder))
        {
        }

        private static WebApplication Build(WebApplicationBuilder builder)
        {
            var app = builder.Build();
            app.UseThriveStackTracking();
            app.MapGet("/{**path}", () => Results.Content("<!doctype html><title>Page</title>", "text/html"));
            app.StartAsync().GetAwaiter().GetResult();
            return app;
        }

        public async Task VisitAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html");
            request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
            using var response = await Client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    private sealed class ReloadableSource : ConfigurationProvider, IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Change(string key, string value)
        {
            Data[key] = value;
            OnReload();
        }
    }
}
