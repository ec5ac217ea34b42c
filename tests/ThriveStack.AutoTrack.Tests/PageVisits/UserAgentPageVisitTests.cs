using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class UserAgentPageVisitTests
{
    private const string ChromeLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Theory]
    [InlineData("?1", "\"Android\"", "Android", "mobile")]
    [InlineData("?0", "\"Android\"", "Android", "tablet")]
    [InlineData("?0", "\"Chrome OS\"", "Chrome OS", "desktop")]
    [InlineData("?0", "\"Windows\"", "Windows", "desktop")]
    public async Task ClientHints_RefineOsAndDeviceType(string mobile, string platform, string os, string deviceType)
    {
        await using var host = await PageVisitHost.StartAsync();

        (await host.GetAsync("/", r =>
        {
            r.Headers.UserAgent.Clear();
            r.Headers.TryAddWithoutValidation("User-Agent", ChromeLinux); // Chrome's reduced UA says Linux for many platforms
            r.Headers.Add("Sec-CH-UA-Mobile", mobile);
            r.Headers.Add("Sec-CH-UA-Platform", platform);
        })).Dispose();

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal(os, visit.Property("os"));
        Assert.Equal(deviceType, visit.Property("device_type"));
    }

    [Fact]
    public async Task TrackBots_On_BotVisitTrackedAsBot()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.UserAgents.TrackBots = true);

        (await host.GetAsync("/", r => { r.Headers.UserAgent.Clear(); r.Headers.TryAddWithoutValidation("User-Agent", "curl/8.5.0"); })).Dispose();

        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("bot", visit.Property("device_type"));
        Assert.Equal("curl", visit.Property("browser"));
    }

    [Fact]
    public async Task EnrichAllEvents_On_RequestEventsGetDeviceProperties()
    {
        await using var host = await PageVisitHost.StartAsync(
            o => o.UserAgents.EnrichAllEvents = true,
            endpoints: app => app.MapPost("/act", (IThriveStackTracker tracker) =>
            {
                tracker.Track("report_exported");
                return Results.Ok();
            }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/act");
        request.Headers.UserAgent.ParseAdd(PageVisitHost.ChromeUserAgent);

        (await host.Client.SendAsync(request)).Dispose();

        var e = await host.Events.WaitForEventAsync(x => x.EventName == "report_exported");
        Assert.Equal("Chrome", e.Property("browser"));
        Assert.Equal("131.0", e.Property("browser_version"));
        Assert.Equal("Windows", e.Property("os"));
        Assert.Equal("desktop", e.Property("device_type"));
    }
}
