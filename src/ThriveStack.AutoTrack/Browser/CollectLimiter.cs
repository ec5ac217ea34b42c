using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// The browser collector's rate limits: posts per minute per device (its cookie, else its address) and per client
/// address, fixed windows, no queue. In a class of its own so that System.Threading.RateLimiting is loaded by the first
/// post, not by every app that has the collector.
/// </summary>
internal sealed class CollectLimiter(BrowserOptions browser) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.CreateChained(
        PerMinute(browser.PostsPerMinutePerDevice, static http => "device:" + (DeviceOf(http) ?? AddressOf(http))),
        PerMinute(browser.PostsPerMinutePerAddress, static http => "address:" + AddressOf(http)));

    /// <summary>Whether the post is within both limits (and counts it against them).</summary>
    public bool Admit(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    private static string? DeviceOf(HttpContext http)
    {
        var name = http.RequestServices?.GetService(typeof(IOptionsMonitor<ThriveStackOptions>)) is IOptionsMonitor<ThriveStackOptions> o
            ? o.CurrentValue.Identity.DeviceCookieName
            : "ts_device_id";
        return VisitorCookies.TryRequestCookie(http.Request, name, out var id) && VisitorIds.IsValidId(id) ? id.ToString() : null;
    }

    private static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static PartitionedRateLimiter<HttpContext> PerMinute(int permits, Func<HttpContext, string> key)
        => PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(key(http), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
