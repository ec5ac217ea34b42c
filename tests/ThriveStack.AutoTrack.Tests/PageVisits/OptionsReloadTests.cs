using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
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
