using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>A minimal web app on TestServer with the page-visit middleware, its events recorded in memory.</summary>
internal sealed class PageVisitHost(WebApplication app) : TestAppHost(app)
{
    public static async Task<PageVisitHost> StartAsync(
        Action<ThriveStackOptions>? configure = null,
        Action<WebApplication>? beforeTracking = null,
        Action<WebApplication>? endpoints = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = TestWebApp.CreateBuilder(configure);
        builder.Services.AddRouting();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        beforeTracking?.Invoke(app);
        app.UseThriveStackTracking();
        app.MapGet("/", () => Results.Content("<h1>home</h1>", "text/html"));
        app.MapGet("/page", () => Results.Content("<h1>page</h1>", "text/html; charset=utf-8"));
        app.MapGet("/admin/users", () => Results.Content("<h1>admin</h1>", "text/html"));
        app.MapGet("/json", () => Results.Json(new { a = 1 }));
        app.MapGet("/empty", () => Results.NoContent());
        app.MapGet("/redirect", () => Results.Redirect("/"));
        app.MapGet("/quiet", () => Results.Content("<h1>quiet</h1>", "text/html")).DoNotTrack();
        app.MapGet("/promo", () => Results.Content("<h1>promo</h1>", "text/html")).WithThriveStackSource("product");
        app.MapGet("/titled", (HttpContext http) =>
        {
            http.SetThriveStackPageTitle("A titled page");
            return Results.Content("<h1>titled</h1>", "text/html");
        });
        endpoints?.Invoke(app);
        await app.StartAsync();
        return new PageVisitHost(app);
    }

    public const string ChromeUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public static HttpRequestMessage Navigate(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add("Sec-Fetch-Dest", "document");
        request.Headers.UserAgent.ParseAdd(ChromeUserAgent);
        return request;
    }

    public async Task<HttpResponseMessage> GetAsync(string url, Action<HttpRequestMessage>? change = null)
    {
        var request = Navigate(url);
        change?.Invoke(request);
        return await Client.SendAsync(request);
    }

    /// <summary>Requests <c>/page</c> and waits for its visit: everything before it has finished.</summary>
    public async Task<ReceivedEvent> SentinelAsync()
    {
        (await GetAsync("/page?sentinel=1")).Dispose();
        return await Events.WaitForEventAsync(e => e.Property("page_url")?.EndsWith("sentinel=1", StringComparison.Ordinal) == true);
    }
}
