using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// AutoTrack's two <c>Set-Cookie</c> headers, written straight to the response when its cookies are ASP.NET Core's own,
/// in exactly the text <c>Response.Cookies.Append</c> would write. A new visitor's two cookies through
/// <c>Append</c> made about 1.2 KB of garbage per page view (a <see cref="CookieOptions"/>, a
/// <c>SetCookieHeaderValue</c>, its validation and formatting, per cookie; <c>dotnet-trace</c> on the trivial page,
/// 2026-12-02). The attributes after the value depend only on the lifetime and the scheme, so they are formatted once by
/// ASP.NET Core itself and kept.
/// </summary>
/// <remarks>
/// When anything has replaced the response's <see cref="IResponseCookiesFeature"/> (the cookie policy middleware does,
/// to apply consent, <c>Secure</c>, <c>HttpOnly</c> and <c>SameSite</c> policies and its <c>OnAppendCookie</c>
/// callback), the cookies go through <c>Append</c> as before. Threads: any request thread; the cache is replaced whole.
/// </remarks>
internal sealed class SetCookieHeaders
{
    // ResponseCookies escapes a cookie's name only when an app turns this switch on.
    private static readonly bool EncodeNames =
        AppContext.TryGetSwitch("Microsoft.AspNetCore.Http.EnableCookieNameEncoding", out var enabled) && enabled;

    // The attributes for one lifetime, over http [0] and https [1]: four slots, device and session.
    private readonly CachedAttributes?[] _attributes = new CachedAttributes?[4];

    private sealed record CachedAttributes(TimeSpan MaxAge, string Text);

    /// <summary>The options both cookies are issued with: <c>Lax</c>, <c>HttpOnly</c>, path <c>/</c>, not essential.</summary>
    public static CookieOptions Options(TimeSpan maxAge, bool secure) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = secure,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = false, // so ASP.NET Core's cookie policy also withholds them without consent
    };

    /// <summary>True when the response's cookies are ASP.NET Core's own, so a header written here is what <c>Append</c> writes.</summary>
    public static bool CanWriteDirectly(HttpContext http)
        => RequestFeatures.ResponseCookies(http) is not { } cookies || cookies.GetType() == typeof(ResponseCookiesFeature);

    /// <summary>
    /// Issues the device cookie, the session cookie, or both, through the fastest way that respects the app's cookie
    /// policy. The session cookie's value is <paramref name="sessionId"/> and <paramref name="lastActivity"/>
    /// (<see cref="VisitorIds.FormatSession"/>).
    /// </summary>
    /// <param name="http">The request, whose response has not started.</param>
    /// <param name="identity">The cookies' names and lifetimes.</param>
    /// <param name="deviceId">The device id to issue, or null to leave the device cookie alone.</param>
    /// <param name="sessionId">The session id to issue, or null to leave the session cookie alone.</param>
    /// <param name="lastActivity">The session's last activity, written into its cookie.</param>
    public void Append(HttpContext http, VisitorIdentityOptions identity, string? deviceId, string? sessionId, DateTimeOffset lastActivity)
    {
        var secure = http.Request.IsHttps;
        if (!CanWriteDirectly(http))
        {
            var cookies = http.Response.Cookies;
            if (deviceId is not null)
                cookies.Append(identity.DeviceCookieName, deviceId, Options(identity.DeviceCookieLifetime, secure));
            if (sessionId is not null)
                cookies.Append(identity.SessionCookieName, VisitorIds.FormatSession(sessionId, lastActivity), Options(identity.SessionTimeout, secure));
            return;
        }

        var headers = http.Response.Headers;
        var device = deviceId is null ? null : Format(identity.DeviceCookieName, deviceId, Attributes(0, identity.DeviceCookieLifetime, secure));
        var session = sessionId is null ? null : FormatSession(identity.SessionCookieName, sessionId, lastActivity, Attributes(2, identity.SessionTimeout, secure));
        headers.SetCookie = device is not null && session is not null
            ? StringValues.Concat(headers.SetCookie, new StringValues([device, session]))
            : StringValues.Concat(headers.SetCookie, device ?? session);
    }

    private static string Format(string name, string value, string attributes)
        => string.Concat(EncodeNames ? Uri.EscapeDataString(name) : name, "=", Uri.EscapeDataString(value), attributes);

    // The session cookie's header as one string, its value formatted in place: "{id}.{Unix seconds}" needs no escaping
    // (the id is hex, VisitorIds.IsValidId), and making the value a string of its own first cost two more strings per
    // new session (about 160 bytes).
    private static string FormatSession(string name, string sessionId, DateTimeOffset lastActivity, string attributes)
    {
        System.Diagnostics.Debug.Assert(VisitorIds.IsValidId(sessionId));
        return string.Create(CultureInfo.InvariantCulture, stackalloc char[128],
            $"{(EncodeNames ? Uri.EscapeDataString(name) : name)}={sessionId}.{lastActivity.ToUnixTimeSeconds()}{attributes}");
    }

    private string Attributes(int slot, TimeSpan maxAge, bool secure)
    {
        slot += secure ? 1 : 0;
        var cached = Volatile.Read(ref _attributes[slot]);
        if (cached is null || cached.MaxAge != maxAge)
        {
            // "n=; max-age=…; path=/; …": everything after the value, as ASP.NET Core formats it for these options.
            var header = Options(maxAge, secure).CreateCookieHeader("n", string.Empty).ToString();
            cached = new CachedAttributes(maxAge, header[2..]);
            Volatile.Write(ref _attributes[slot], cached);
        }
        return cached.Text;
    }
}
