using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Works out the ids of the current request: device and session from AutoTrack's cookies (issued or renewed when consent
/// allows), user and account from the signed-in principal, and the source. Cookies are resolved once per request; the
/// user, account and source are worked out again whenever the principal or the endpoint changes, so the result is right
/// wherever <c>UseThriveStackTracking()</c> sits relative to authentication and routing.
/// </summary>
internal sealed partial class RequestContextResolver
{
    /// <summary>The <c>user_id</c> of visitors who are not signed in and have not consented.</summary>
    public const string AnonymousUserId = "anonymous";

    /// <summary>How often an active session's cookie is rewritten; its expiry is accurate to this.</summary>
    internal static readonly TimeSpan SessionRenewalInterval = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly IOptionsMonitor<ThriveStackOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogThrottle _resolverLog;

    public RequestContextResolver(IOptionsMonitor<ThriveStackOptions> options, TimeProvider time, ILogger<RequestContextResolver> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _resolverLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>The request's context; resolves cookies on first use (issuing them while the response has not started).</summary>
    public ThriveStackRequestContext Get(HttpContext http)
    {
        var feature = GetFeature(http);
        if (!feature.CookiesResolved)
            ResolveCookies(http, feature, _options.CurrentValue);

        var endpoint = http.GetEndpoint();
        var user = CurrentUser(http);
        if (feature.Context is { } cached && ReferenceEquals(feature.ContextUser, user) && ReferenceEquals(feature.SourceEndpoint, endpoint))
            return cached;

        var context = Build(http, feature, _options.CurrentValue, endpoint);
        feature.Context = context;
        feature.ContextUser = user;
        feature.SourceEndpoint = endpoint;
        return context;
    }

    /// <summary>Marks the request as a page request and resolves (and renews) its cookies before the app runs.</summary>
    public void BeginPageRequest(HttpContext http, ThriveStackOptions options)
    {
        var feature = GetFeature(http);
        feature.IsPageRequest = true;
        if (!feature.CookiesResolved)
            ResolveCookies(http, feature, options);
    }

    internal static ThriveStackRequestFeature GetFeature(HttpContext http)
    {
        var feature = http.Features.Get<ThriveStackRequestFeature>();
        if (feature is null)
        {
            feature = new ThriveStackRequestFeature();
            http.Features.Set(feature);
        }
        return feature;
    }

    private void ResolveCookies(HttpContext http, ThriveStackRequestFeature feature, ThriveStackOptions options)
    {
        feature.CookiesResolved = true;
        feature.HasConsent = HasConsent(http, options.Privacy);
        if (!feature.HasConsent)
            return; // neither read nor write identifiers without consent

        var identity = options.Identity;
        var canWrite = !http.Response.HasStarted;
        var now = _time.GetUtcNow();

        var deviceId = RequestCookie(http.Request, identity.DeviceCookieName);
        var newDevice = deviceId is null || !VisitorIds.IsValidId(deviceId);
        if (newDevice)
            deviceId = canWrite ? VisitorIds.NewId() : null;

        string? sessionId = null;
        var renewSession = true;
        if (VisitorIds.TryParseSession(RequestCookie(http.Request, identity.SessionCookieName), out var existing, out var lastActivity) &&
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
        if (canWrite && deviceId is not null && sessionId is not null)
        {
            var secure = http.Request.IsHttps;
            var responseCookies = http.Response.Cookies;
            if (newDevice)
                responseCookies.Append(identity.DeviceCookieName, deviceId, CookieOptions(identity.DeviceCookieLifetime, secure));
            if (renewSession)
                responseCookies.Append(identity.SessionCookieName, VisitorIds.FormatSession(sessionId, now), CookieOptions(identity.SessionTimeout, secure));
        }

        feature.DeviceId = deviceId;
        feature.SessionId = sessionId;
    }

    private ThriveStackRequestContext Build(HttpContext http, ThriveStackRequestFeature feature, ThriveStackOptions options, Endpoint? endpoint)
    {
        var identity = options.Identity;
        var userId = Bounded(ResolveUserId(http, identity));
        var isAuthenticated = userId is not null;
        if (!isAuthenticated && identity.TrackAnonymousVisitors)
            userId = feature.DeviceId ?? AnonymousUserId;

        var groupId = Bounded(ResolveGroupId(http, identity));
        var source = ResolveSource(http, identity, endpoint, isAuthenticated);
        return new ThriveStackRequestContext(userId, isAuthenticated, feature.DeviceId, feature.SessionId, groupId, source, feature.HasConsent);
    }

    private static bool HasConsent(HttpContext http, PrivacyOptions privacy)
    {
        if (http.Features.Get<ITrackingConsentFeature>() is { CanTrack: false })
            return false;
        var headers = http.Request.Headers;
        if (privacy.HonorGlobalPrivacyControl && headers["Sec-GPC"] == "1")
            return false;
        if (privacy.HonorDoNotTrack && headers["DNT"] == "1")
            return false;
        return true;
    }

    private string? ResolveUserId(HttpContext http, VisitorIdentityOptions identity)
    {
        if (identity.UserIdResolver is { } resolver)
        {
            try
            {
                return NullIfEmpty(resolver(http));
            }
            catch (Exception ex)
            {
                ResolverFailed(ex, nameof(VisitorIdentityOptions.UserIdResolver));
                return null;
            }
        }

        var user = CurrentUser(http);
        if (user?.Identity?.IsAuthenticated != true)
            return null;
        return NullIfEmpty(user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value);
    }

    private string? ResolveGroupId(HttpContext http, VisitorIdentityOptions identity)
    {
        if (identity.GroupIdResolver is { } resolver)
        {
            try
            {
                return NullIfEmpty(resolver(http));
            }
            catch (Exception ex)
            {
                ResolverFailed(ex, nameof(VisitorIdentityOptions.GroupIdResolver));
                return null;
            }
        }
        var user = CurrentUser(http);
        return user?.Identity?.IsAuthenticated == true ? NullIfEmpty(user.FindFirst(identity.GroupIdClaimType)?.Value) : null;
    }

    /// <summary>
    /// The request's user if anything set one (authentication, a test), else null: reading <see cref="HttpContext.User"/>
    /// would create an empty principal, and its feature, on every page view of an app without authentication.
    /// </summary>
    private static ClaimsPrincipal? CurrentUser(HttpContext http) => http.Features.Get<IHttpAuthenticationFeature>()?.User;

    private static string ResolveSource(HttpContext http, VisitorIdentityOptions identity, Endpoint? endpoint, bool isAuthenticated)
    {
        if (endpoint?.Metadata.GetMetadata<ThriveStackSourceAttribute>() is { } attribute)
            return attribute.Source;
        var path = http.Request.Path;
        if (StartsWithAny(path, identity.MarketingPathPrefixes))
            return EventSources.Marketing;
        if (StartsWithAny(path, identity.ProductPathPrefixes))
            return EventSources.Product;
        return isAuthenticated ? EventSources.Product : EventSources.Marketing;
    }

    private static bool StartsWithAny(PathString path, IList<string> prefixes)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (path.StartsWithSegments(prefixes[i], StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>
    /// One cookie's value straight from the <c>Cookie</c> header(s), first occurrence, quotes removed; parsing only the two
    /// cookies AutoTrack owns avoids building the request's whole cookie collection on every page view.
    /// </summary>
    internal static string? RequestCookie(HttpRequest request, string name)
    {
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
                if (eq <= 0 || !pair[..eq].Trim().SequenceEqual(name))
                    continue;
                var value = pair[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    value = value[1..^1];
                return value.ToString();
            }
        }
        return null;
    }

    private static CookieOptions CookieOptions(TimeSpan maxAge, bool secure) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = secure,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = false, // so ASP.NET Core's cookie policy also withholds them without consent
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? Bounded(string? value) => value is { Length: > EventLimits.MaxIdLength } ? value[..EventLimits.MaxIdLength] : value;

    private void ResolverFailed(Exception ex, string resolver)
    {
        if (_resolverLog.TryEnter(out var suppressed))
            Log.ResolverFailed(_logger, ex, resolver, suppressed);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ResolverFailed, LogLevel.Warning,
            "ThriveStack: the {Resolver} callback threw; the value is treated as unknown. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void ResolverFailed(ILogger logger, Exception exception, string resolver, long suppressed);
    }
}
