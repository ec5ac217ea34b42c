using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.EventsPage;

/// <summary><c>app.MapThriveStackEvents()</c> in a user's own app, and Development without an API key.</summary>
public sealed class EventsPageTests : CollectorTestBase
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task Development_NoApiKey_EventsKeptInTheAppAndShownAtOnce()
    {
        await using var app = await StartAsync(Environments.Development);

        await app.ViewAsync("/pricing?utm_source=newsletter");
        app.App.Services.GetRequiredService<IThriveStackTracker>().Track("report_exported", new() { ["format"] = "csv" }, userId: "u1");
        // No wait: the page sends what is queued before it renders, so a refresh shows the last click.
        var events = await app.EventsJsonAsync();

        Assert.Equal(["report_exported", "page_visit"], events.Select(e => e.GetProperty("event_name").GetString()));
        Assert.Equal("newsletter", events[1].GetProperty("properties").GetProperty("utm_source").GetString());
        var html = await app.Client.GetStringAsync("/_thrivestack/events");
        Assert.Contains("No API key is configured, so in Development the app keeps its events here", html, StringComparison.Ordinal);
        Assert.Contains("report_exported", html, StringComparison.Ordinal);
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.EventsKeptLocally && r.Level == LogLevel.Information);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.ApiKeyMissing && r.Category!.StartsWith("ThriveStack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Development_NoApiKey_IdentifyAndGroupRecordsShownBesideEvents()
    {
        await using var app = await StartAsync(Environments.Development);
        var tracker = app.App.Services.GetRequiredService<IThriveStackTracker>();

        tracker.Track("report_exported", userId: "u1");
        tracker.Identify(new ThriveStackUser { UserId = "u1", Email = "ada@acme.test" });
        tracker.Group(new ThriveStackGroup { GroupId = "acct_7", UserId = "u1", GroupType = "Account", Name = "Acme" });

        var html = await app.Client.GetStringAsync("/_thrivestack/events");
        Assert.Contains("report_exported", html, StringComparison.Ordinal);
        Assert.Contains("user u1<span class=\"pill\">identify</span>", html, StringComparison.Ordinal);
        Assert.Contains("Account acct_7<span class=\"pill\">group</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("event invalid", html, StringComparison.Ordinal);
        // events.json stays the track events as sent; ?kind= gives the others.
        Assert.Equal(["report_exported"], (await app.EventsJsonAsync()).Select(e => e.GetProperty("event_name").GetString()));
        var identify = JsonDocument.Parse(await app.Client.GetStringAsync("/_thrivestack/events.json?kind=identify")).RootElement;
        Assert.Equal("ada@acme.test", identify[0].GetProperty("traits").GetProperty("email").GetString());
        var group = JsonDocument.Parse(await app.Client.GetStringAsync("/_thrivestack/events.json?kind=group")).RootElement;
        Assert.Equal("Acme", group[0].GetProperty("traits").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(null, 1_000)]      // kept locally: a second, so the page shows events by the time the developer looks
    [InlineData(3_000, 3_000)]     // unless the app sets it
    public async Task Development_NoApiKey_ShortFlushIntervalUnlessSet(int? configuredMs, int expectedMs)
    {
        await using var app = await StartAsync(Environments.Development, configure: o =>
        {
            if (configuredMs is { } ms)
                o.FlushInterval = TimeSpan.FromMilliseconds(ms);
        });

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), app.App.Services.GetRequiredService<ThriveStack.AutoTrack.Dispatch.EventDispatcher>().FlushInterval);
    }

    [Fact]
    public async Task WithApiKey_FlushIntervalIsTheDefault()
    {
        await using var app = await StartAsync(Environments.Development, configure: o =>
        {
            o.ApiKey = Collector.ApiKey;
            o.Endpoint = Collector.Endpoint;
        });

        Assert.Equal(TimeSpan.FromSeconds(5), app.App.Services.GetRequiredService<ThriveStack.AutoTrack.Dispatch.EventDispatcher>().FlushInterval);
    }

    [Fact]
    public async Task Development_NoApiKey_HealthIsHealthyAndSaysLocal()
    {
        await using var app = await StartAsync(Environments.Development);
        await app.ViewAsync("/");
        await app.EventsJsonAsync(); // sends what is queued: there is a last delivery

        var raw = await app.Client.GetStringAsync("/health");
        var health = JsonDocument.Parse(raw).RootElement;

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var entry = health.GetProperty("checks").GetProperty("thrivestack");
        Assert.Equal("local", entry.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal(0, entry.GetProperty("data").GetProperty("queue_length").GetInt32());
        Assert.False(entry.GetProperty("data").GetProperty("spool_durable").GetBoolean());
        Assert.Equal(["thrivestack"], entry.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.EndsWith("+00:00", entry.GetProperty("data").GetProperty("last_delivered_at").GetString(), StringComparison.Ordinal);
        Assert.Contains("+00:00\"", raw, StringComparison.Ordinal); // readable, not \u002B
    }

    [Fact]
    public async Task Development_KeepEventsDisabled_NoApiKeyDropsAsBefore()
    {
        await using var app = await StartAsync(Environments.Development, configure: o => o.EventsPage.KeepEventsInDevelopment = false);

        await app.ViewAsync("/");

        Assert.Empty(await app.EventsJsonAsync());
        Assert.Contains(app.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.ApiKeyMissing && r.Category!.StartsWith("ThriveStack", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Production_NoPolicy_PageIsNotThere()
    {
        await using var app = await StartAsync(Environments.Production);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/_thrivestack/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/_thrivestack/events.json")).StatusCode);
    }

    [Fact]
    public async Task Production_WithPolicy_RequiresItAndShowsWhatTheApiAccepted()
    {
        await using var app = await StartAsync(Environments.Production, policy: "Admins", configure: o =>
        {
            o.ApiKey = Collector.ApiKey;
            o.Endpoint = Collector.Endpoint;
        });

        await app.ViewAsync("/");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/_thrivestack/events.json")).StatusCode);
        app.Client.DefaultRequestHeaders.Add("X-Role", "admin");
        var events = await app.EventsJsonAsync();
        var visit = Assert.Single(events);
        Assert.Equal("page_visit", visit.GetProperty("event_name").GetString());
        var html = await app.Client.GetStringAsync("/_thrivestack/events");
        Assert.Contains("accepted since this page was mapped", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Collector.ApiKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiWarnings_ShownUnderTheEventsTheyName()
    {
        Collector.SetFault(CollectorFault.AcceptWithWarnings(["signed_up is missing user_name, which the Signups report needs"]));
        await using var app = await StartAsync(Environments.Production, policy: "Admins", configure: o =>
        {
            o.ApiKey = Collector.ApiKey;
            o.Endpoint = Collector.Endpoint;
        });
        var tracker = app.App.Services.GetRequiredService<IThriveStackTracker>();
        tracker.Track(new SignedUpEvent { UserId = "u1", UserEmail = "u1@acme.test" });
        tracker.Track("signed_up_twice", userId: "u1"); // names the warning's event only as part of its own name

        app.Client.DefaultRequestHeaders.Add("X-Role", "admin");
        var html = await app.Client.GetStringAsync("/_thrivestack/events");

        var under = "<li>API warning: signed_up is missing user_name, which the Signups report needs</li>";
        Assert.Single(html.Split(under)[1..]); // under signed_up, not under signed_up_twice
        var signedUp = html.IndexOf("<header><span>signed_up<", StringComparison.Ordinal);
        Assert.True(signedUp >= 0 && html.IndexOf(under, signedUp, StringComparison.Ordinal) > signedUp);
    }

    [Fact]
    public async Task EventsPage_IsNotAPageVisit()
    {
        await using var app = await StartAsync(Environments.Development);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/_thrivestack/events");
        request.Headers.UserAgent.ParseAdd(Chrome);
        request.Headers.Accept.ParseAdd("text/html");
        (await app.Client.SendAsync(request)).EnsureSuccessStatusCode();

        Assert.Empty(await app.EventsJsonAsync());
    }

    [Fact]
    public void MapThriveStackEvents_WithoutAddThriveStack_FailsSayingHowToFix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapThriveStackEvents());

        Assert.Contains("app.MapThriveStackEvents()", ex.Message, StringComparison.Ordinal);
        Assert.Contains("builder.Services.AddThriveStack()", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<PageApp> StartAsync(string environment, string? policy = null, Action<ThriveStackOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddFakeLogging();
        builder.Services.AddThriveStack(o =>
        {
            o.Durability = EventDurability.Memory;
            o.UserAgents.MatchTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        builder.Services.AddHealthChecks();
        builder.Services.AddAuthentication("Header").AddScheme<AuthenticationSchemeOptions, HeaderRoleHandler>("Header", null);
        builder.Services.AddAuthorization(o => o.AddPolicy("Admins", p => p.RequireRole("admin")));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseThriveStackTracking();
        app.MapGet("/", () => Results.Content("<!doctype html><title>Home</title>", "text/html"));
        app.MapGet("/pricing", () => Results.Content("<!doctype html><title>Pricing</title>", "text/html"));
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = ThriveStackHealthResponse.WriteAsync });
        app.MapThriveStackEvents(policy);
        await app.StartAsync();
        return new PageApp(app);
    }

    private sealed class PageApp(WebApplication app) : TestAppHost(app)
    {
        public async Task ViewAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.UserAgent.ParseAdd(Chrome);
            request.Headers.Accept.ParseAdd("text/html");
            (await Client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        public async Task<JsonElement[]> EventsJsonAsync()
        {
            using var response = await Client.GetAsync("/_thrivestack/events.json");
            response.EnsureSuccessStatusCode();
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();
        }
    }

    /// <summary>Signs in as role <c>admin</c> when the request says <c>X-Role: admin</c>; anonymous otherwise.</summary>
    private sealed class HeaderRoleHandler(Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, System.Text.Encodings.Web.UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Role"] != "admin")
                return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Role, "admin"), new(System.Security.Claims.ClaimTypes.Name, "ann")], "Header");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), "Header")));
        }
    }
}
