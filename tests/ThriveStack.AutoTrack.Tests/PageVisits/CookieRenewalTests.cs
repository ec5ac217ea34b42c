using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class CookieRenewalTests
{
    private static readonly string Device = new('d', 32);
    private static readonly string Session = new('5', 32);

    [Fact]
    public async Task ActiveSession_CookieRewrittenAtMostOncePerMinute_DeviceCookieLeftAlone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await PageVisitHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var cookie = $"ts_device_id={Device}; ts_session_id={Session}.{time.GetUtcNow().AddSeconds(-30).ToUnixTimeSeconds()}";

        using var recent = await host.GetAsync("/", r => r.Headers.Add("Cookie", cookie));
        time.Advance(TimeSpan.FromSeconds(45));
        using var later = await host.GetAsync("/", r => r.Headers.Add("Cookie", cookie));

        Assert.False(recent.Headers.Contains("Set-Cookie"));
        var renewed = Assert.Single(later.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"ts_session_id={Session}.{time.GetUtcNow().ToUnixTimeSeconds()};", renewed, StringComparison.Ordinal);
        var visits = await host.Events.WaitForEventsAsync(2);
        Assert.All(visits, v => Assert.Equal(Session, v.SessionId));
        Assert.All(visits, v => Assert.Equal(Device, v.DeviceId));
    }

    [Fact]
    public async Task ExpiredSession_NewSessionAndDeviceCookieRenewedWithSameId()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await PageVisitHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var stale = time.GetUtcNow().AddMinutes(-31).ToUnixTimeSeconds();

        using var response = await host.GetAsync("/", r => r.Headers.Add("Cookie", $"ts_device_id={Device}; ts_session_id={Session}.{stale}"));

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith($"ts_device_id={Device};", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("ts_session_id=", StringComparison.Ordinal) && !c.Contains(Session, StringComparison.Ordinal));
        var visit = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal(Device, visit.DeviceId);
        Assert.NotEqual(Session, visit.SessionId);
    }
}
