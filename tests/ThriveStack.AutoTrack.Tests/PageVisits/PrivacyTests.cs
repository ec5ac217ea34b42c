using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class PrivacyTests
{
    private static Task<PageVisitHost> StartWithConsentPolicyAsync(Action<ThriveStackOptions>? configure = null)
        => PageVisitHost.StartAsync(
            configure,
            services: s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true),
            beforeTracking: app => app.UseCookiePolicy());

    [Fact]
    public async Task NoConsent_NoCookiesAndNoIdentifiers()
    {
        await using var host = await StartWithConsentPolicyAsync();

        using var response = await host.GetAsync("/");

        Assert.False(response.Headers.Contains("Set-Cookie"));
        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("anonymous", visit.UserId);
        Assert.Null(visit.DeviceId);
        Assert.Null(visit.SessionId);
    }

    [Fact]
    public async Task NoConsent_ExistingCookiesAreIgnored()
    {
        await using var host = await StartWithConsentPolicyAsync();
        var device = new string('b', 32);

        (await host.GetAsync("/", r => r.Headers.Add("Cookie", "ts_device_id=" + device))).Dispose();

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Null(visit.DeviceId);
        Assert.DoesNotContain(device, visit.Json.GetRawText());
    }

    [Fact]
    public async Task Consented_CookiesAndIdentifiers()
    {
        await using var host = await StartWithConsentPolicyAsync();

        using var response = await host.GetAsync("/", r => r.Headers.Add("Cookie", ".AspNet.Consent=yes"));

        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ts_device_id=", StringComparison.Ordinal));
        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.NotNull(visit.DeviceId);
        Assert.Equal(visit.DeviceId, visit.UserId);
    }

    [Fact]
    public async Task NoConsentWithDoNotTrackBehavior_NoVisit()
    {
        await using var host = await StartWithConsentPolicyAsync(o => o.Privacy.WithoutConsent = NoConsentBehavior.DoNotTrack);

        using var response = await host.GetAsync("/");

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Empty(await host.Events.FlushAsync());
    }

    [Fact]
    public async Task GlobalPrivacyControl_HonouredByDefault()
    {
        await using var host = await PageVisitHost.StartAsync();

        using var response = await host.GetAsync("/", r => r.Headers.Add("Sec-GPC", "1"));

        Assert.False(response.Headers.Contains("Set-Cookie"));
        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Null(visit.DeviceId);
        Assert.Equal("anonymous", visit.UserId);
    }

    [Fact]
    public async Task GlobalPrivacyControl_Ignored_WhenTurnedOff()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.Privacy.HonorGlobalPrivacyControl = false);

        (await host.GetAsync("/", r => r.Headers.Add("Sec-GPC", "1"))).Dispose();

        Assert.NotNull((await host.Events.WaitForEventAsync(e => e.EventName == "page_visit")).DeviceId);
    }

    [Fact]
    public async Task DoNotTrackHeader_IgnoredByDefault()
    {
        await using var host = await PageVisitHost.StartAsync();

        (await host.GetAsync("/", r => r.Headers.Add("DNT", "1"))).Dispose();

        Assert.NotNull((await host.Events.WaitForEventAsync(e => e.EventName == "page_visit")).DeviceId);
    }

    [Fact]
    public async Task DoNotTrackHeader_Honoured_WhenTurnedOn()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.Privacy.HonorDoNotTrack = true);

        using var response = await host.GetAsync("/", r => r.Headers.Add("DNT", "1"));

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Null((await host.Events.WaitForEventAsync(e => e.EventName == "page_visit")).DeviceId);
    }

    [Fact]
    public async Task ClientIp_NeverSent()
    {
        await using var host = await PageVisitHost.StartAsync(endpoints: app =>
            app.MapGet("/ip", (HttpContext http) => { http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7"); return Results.Content("<p>ip</p>", "text/html"); }));

        (await host.GetAsync("/ip", r => r.Headers.Add("X-Forwarded-For", "198.51.100.9"))).Dispose();

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.DoesNotContain("203.0.113.7", visit.Json.GetRawText());
        Assert.DoesNotContain("198.51.100.9", visit.Json.GetRawText());
    }
}
