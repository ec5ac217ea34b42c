using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class PageVisitMiddlewareTests
{
    [Fact]
    public void UseThriveStackTracking_WithoutAddThriveStack_FailsAtStartupSayingHowToFix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseThriveStackTracking());

        Assert.Contains("builder.Services.AddThriveStack()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visit_SetsDeviceAndSessionCookiesWithSafeAttributes()
    {
        await using var host = await PageVisitHost.StartAsync();

        using var response = await host.GetAsync("/");

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var device = Assert.Single(cookies, c => c.StartsWith("ts_device_id=", StringComparison.Ordinal));
        var session = Assert.Single(cookies, c => c.StartsWith("ts_session_id=", StringComparison.Ordinal));
        Assert.Matches("^ts_device_id=[0-9a-f]{32};", device);
        Assert.Matches(@"^ts_session_id=[0-9a-f]{32}\.[0-9]+;", session);
        foreach (var cookie in cookies)
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain http
        }
        Assert.Contains("max-age=31536000", device, StringComparison.Ordinal);
        Assert.Contains("max-age=1800", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visit_BehindProxyWithForwardedHeaders_UsesPublicUrlAndSecureCookies()
    {
        await using var host = await PageVisitHost.StartAsync(
            services: s => s.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
            }),
            beforeTracking: app => app.UseForwardedHeaders());

        using var response = await host.GetAsync("/page?x=1", r =>
        {
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "www.acme.com");
        });

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("https://www.acme.com/page?x=1", visit.Property("page_url"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public async Task Visit_MalformedDeviceCookie_IsReplacedNotTrusted(string value)
    {
        await using var host = await PageVisitHost.StartAsync();

        await host.GetAsync("/", r => r.Headers.Add("Cookie", "ts_device_id=" + value));

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.NotEqual(value, visit.DeviceId);
        Assert.Matches("^[0-9a-f]{32}$", visit.DeviceId);
    }

    [Fact]
    public async Task Visit_SessionCookieFromTheFuture_IsReplaced()
    {
        await using var host = await PageVisitHost.StartAsync();
        var id = new string('a', 32);
        var future = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds();

        await host.GetAsync("/", r => r.Headers.Add("Cookie", $"ts_session_id={id}.{future}"));

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.NotEqual(id, visit.SessionId);
    }

    [Theory]
    [InlineData("/json")]
    [InlineData("/empty")]
    [InlineData("/redirect")]
    [InlineData("/quiet")]
    [InlineData("/missing")]
    [InlineData("/api/things")]
    [InlineData("/healthz")]
    public async Task NonPageResponse_NoVisit(string path)
    {
        await using var host = await PageVisitHost.StartAsync();

        (await host.GetAsync(path)).Dispose();

        var sentinel = await host.SentinelAsync();
        Assert.Equal([sentinel], host.Events.Events);
    }

    [Fact]
    public async Task DoNotTrackEndpoint_SetsNoCookies()
    {
        await using var host = await PageVisitHost.StartAsync(beforeTracking: app => app.UseRouting());

        using var response = await host.GetAsync("/quiet");

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task MinimalApiTitle_AndSourceMetadata_Applied()
    {
        await using var host = await PageVisitHost.StartAsync();

        (await host.GetAsync("/titled")).Dispose();
        (await host.GetAsync("/promo")).Dispose();

        var titled = await host.Events.WaitForEventAsync(e => e.Property("page_path") == "/titled");
        var promo = await host.Events.WaitForEventAsync(e => e.Property("page_path") == "/promo");
        Assert.Equal("A titled page", titled.Property("page_title"));
        Assert.Equal("marketing", titled.Source);
        Assert.Equal("product", promo.Source);
    }

    [Fact]
    public async Task ExcludeAndIncludePaths_Applied()
    {
        await using var host = await PageVisitHost.StartAsync(o =>
        {
            o.PageVisits.ExcludePaths.Add("/admin/*");
            o.PageVisits.IncludePaths.Add("/page");
            o.PageVisits.IncludePaths.Add("/admin*");
        });

        (await host.GetAsync("/admin/users")).Dispose();
        (await host.GetAsync("/")).Dispose();

        var sentinel = await host.SentinelAsync();
        Assert.Equal([sentinel], host.Events.Events);
    }

    [Fact]
    public async Task Filter_ReturnsFalseOrThrows_NoVisitAndThrowIsLogged()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.PageVisits.Filter = http => http.Request.Path == "/page"
            ? true
            : http.Request.Path == "/" ? throw new InvalidOperationException("filter bug") : false);

        (await host.GetAsync("/")).Dispose();
        (await host.GetAsync("/titled")).Dispose();

        var sentinel = await host.SentinelAsync();
        Assert.Equal([sentinel], host.Events.Events);
        var log = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.PageVisitFilterFailed);
        Assert.IsType<InvalidOperationException>(log.Exception);
    }

    [Fact]
    public async Task AppException_FlowsOnUnchangedAndEmitsNoVisit()
    {
        var thrown = new InvalidTimeZoneException("app bug");
        await using var host = await PageVisitHost.StartAsync(endpoints: app => app.MapGet("/boom", IResult () => throw thrown));

        var caught = await Assert.ThrowsAsync<InvalidTimeZoneException>(() => host.GetAsync("/boom"));

        Assert.Same(thrown, caught);
        var sentinel = await host.SentinelAsync();
        Assert.Equal([sentinel], host.Events.Events);
    }

    [Fact]
    public async Task TrackingDisabled_ByOptions_NoVisitNoCookies()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.PageVisits.Enabled = false);

        using var response = await host.GetAsync("/");

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Empty(await host.Events.FlushAsync());
    }

    [Fact]
    public async Task AnonymousVisitorsOff_AnonymousVisitNotTracked()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.Identity.TrackAnonymousVisitors = false);

        (await host.GetAsync("/")).Dispose();

        Assert.Empty(await host.Events.FlushAsync());
    }

    [Fact]
    public async Task UserAndGroupResolvers_OverrideClaims_AndAThrowingResolverIsLogged()
    {
        await using var host = await PageVisitHost.StartAsync(o =>
        {
            o.Identity.UserIdResolver = http => http.Request.Headers["X-User"].FirstOrDefault();
            o.Identity.GroupIdResolver = _ => throw new InvalidOperationException("resolver bug");
        });

        (await host.GetAsync("/", r => r.Headers.Add("X-User", "user-42"))).Dispose();

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("user-42", visit.UserId);
        Assert.Equal("product", visit.Source);
        Assert.Null(visit.GroupId);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == LogEvents.ResolverFailed && r.Level == LogLevel.Warning);
    }

    /// <summary>The mark that tells the browser script the server counted the page: on tracked HTML pages only, after the app's own timings.</summary>
    [Fact]
    public async Task TrackedPage_CarriesTheServerTimingMark_AfterTheAppsOwn()
    {
        await using var host = await PageVisitHost.StartAsync(endpoints: app =>
            app.MapGet("/timed", (HttpContext http) =>
            {
                http.Response.Headers["Server-Timing"] = "db;dur=53";
                return Results.Content("<h1>timed</h1>", "text/html");
            }));

        using var page = await host.GetAsync("/page");
        using var timed = await host.GetAsync("/timed");
        using var json = await host.GetAsync("/json");
        using var quiet = await host.GetAsync("/quiet");

        Assert.Equal(["thrivestack;desc=\"page_visit\""], page.Headers.GetValues("Server-Timing"));
        Assert.Equal(["db;dur=53", "thrivestack;desc=\"page_visit\""], timed.Headers.GetValues("Server-Timing"));
        Assert.False(json.Headers.Contains("Server-Timing"));
        Assert.False(quiet.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task BrowserOff_NoServerTimingMark()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.Browser.Enabled = false);

        using var page = await host.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Server-Timing"));
        await host.Events.WaitForEventAsync(e => e.EventName == "page_visit"); // still counted by the server
    }
}
