using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// The device and session cookies: read from the <c>Cookie</c> header, replaced when missing or malformed, issued while
/// the response has not started, and renewed at most once a minute while a session is active. Only with consent.
/// </summary>
internal sealed class VisitorCookies(TimeProvider time)
{
    /// <summary>How often an active session's cookie is rewritten; its expiry is accurate to this.</summary>
    internal static readonly TimeSpan SessionRenewalInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly SetCookieHeaders _setCookies = new();

    /// <summary>Sets the request's consent, device id and session id on <paramref name="feature"/>, issuing cookies where needed.</summary>
    public void Resolve(HttpContext http, ThriveStackRequestFeature feature, ThriveStackOptions options)
    {
        feature.CookiesResolved = true;
        feature.HasConsent = ConsentSignals.HasConsent(http, options.Privacy, feature.Signals);
        if (!feature.HasConsent)
            return; // neither read nor write identifiers without consent

        var identity = options.Identity;
        var canWrite = !http.Response.HasStarted;
        var now = time.GetUtcNow();

        // Both cookies from one pass over the header, as spans of it: only a valid id becomes a string.
        ReadCookies(http.Request, identity.DeviceCookieName, out var hasDevice, out var deviceCookie,
            identity.SessionCookieName, out var hasSession, out var sessionCookie);
        var newDevice = !hasDevice || !VisitorIds.IsValidId(deviceCookie);
        var deviceId = !newDevice ? deviceCookie.ToString() : canWrite ? VisitorIds.NewId() : null;

        string? sessionId = null;
        var renewSession = true;
        if (hasSession &&
            VisitorIds.TryParseSession(sessionCookie, out var existing, out var lastActivity) &&
            now - lastActivity <= identity.SessionTimeout && lastActivity <= now + ClockSkew)
        {
            sessionId = existing;
            renewSession = now - lastActivity >= SessionRenewalInterval;
        }
        else if (canWrite)
        {
            sessionId = VisitorIds.NewId();
            newDevice = true; // a new session renews the device cookie's year too
        }

        // Cookies are written when something changed: a new device or session, or a session whose last activity is over
        // a minute old. A page view a few seconds after the last one costs no Set-Cookie headers.
        if (canWrite && deviceId is not null && sessionId is not null && (newDevice || renewSession))
            _setCookies.Append(http, identity, newDevice ? deviceId : null, renewSession ? sessionId : null, now);

        feature.DeviceId = deviceId;
        feature.SessionId = sessionId;
    }

    /// <summary>
    /// One cookie's value straight from the <c>Cookie</c> header(s), first occurrence, quotes removed; parsing only the two
    /// cookies AutoTrack owns avoids building the request's whole cookie collection on every page view.
    /// </summary>
    internal static string? RequestCookie(HttpRequest request, string name)
        => TryRequestCookie(request, name, out var value) ? value.ToString() : null;

    /// <summary><see cref="RequestCookie"/> without making a string: the value is a span of the header.</summary>
    internal static bool TryRequestCookie(HttpRequest request, string name, out ReadOnlySpan<char> value)
    {
        ReadCookies(request, name, out var found, out value, null, out _, out _);
        return found;
    }

    /// <summary>
    /// The values of up to two cookies (the first occurrence of each, quotes removed) from one pass over the
    /// <c>Cookie</c> header(s), as spans of the header; the pass stops once both are found.
    /// </summary>
    internal static void ReadCookies(HttpRequest request, string first, out bool hasFirst, out ReadOnlySpan<char> firstValue,
        string? second, out bool hasSecond, out ReadOnlySpan<char> secondValue)
    {
        hasFirst = hasSecond = false;
        firstValue = secondValue = default;
        if (second == first)
        {
            hasSecond = hasFirst = TryRequestCookie(request, first, out firstValue); // one name asked twice: the same answer
            secondValue = firstValue;
            return;
        }
        foreach (var header in request.Headers.Cookie)
        {
            if (header is null)
                continue;
            var rest = header.AsSpan();
            while (!rest.IsEmpty)
            {
                var semicolon = rest.IndexOf(';');
                var pair = (semicolon < 0 ? rest : rest[..semicolon]).Trim();
                rest = semicolon < 0 ? [] : rest[(semicolon + 1)..];
                var eq = pair.IndexOf('=');
                if (eq <= 0)
                    continue;
                var name = pair[..eq].Trim();
                var isFirst = !hasFirst && name.SequenceEqual(first);
                if (!isFirst && (second is null || hasSecond || !name.SequenceEqual(second)))
                    continue;

                var value = pair[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    value = value[1..^1];
                if (isFirst)
                {
                    hasFirst = true;
                    firstValue = value;
                }
                else
                {
                    hasSecond = true;
                    secondValue = value;
                }
                if (hasFirst && (hasSecond || second is null))
                    return;
            }
        }
    }
}
