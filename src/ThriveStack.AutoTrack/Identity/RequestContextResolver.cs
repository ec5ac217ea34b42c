using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Works out the ids of the current request from its parts: device and session from <see cref="VisitorCookies"/> (with
/// <see cref="ConsentSignals"/>), user, account and source from <see cref="VisitorIdentity"/>. Cookies are resolved once
/// per request; the user, account and source are worked out again whenever the principal or the endpoint changes, so
/// the result is right wherever <c>UseThriveStackTracking()</c> sits relative to authentication and routing.
/// </summary>
internal sealed class RequestContextResolver(IOptionsMonitor<ThriveStackOptions> options, TimeProvider time, ILogger<RequestContextResolver> logger)
{
    /// <summary>The <c>user_id</c> of visitors who are not signed in and have not consented.</summary>
    public const string AnonymousUserId = "anonymous";

    private readonly Configuration.LiveOptions _options = new(options);
    private readonly VisitorCookies _cookies = new(time);
    private readonly VisitorIdentity _identity = new(time, logger);

    /// <summary>The request's context; resolves cookies on first use (issuing them while the response has not started).</summary>
    public ThriveStackRequestContext Get(HttpContext http) => Get(http, GetFeature(http));

    /// <summary><see cref="Get(HttpContext)"/> for a caller that holds the request's <see cref="ThriveStackRequestFeature"/> already.</summary>
    public ThriveStackRequestContext Get(HttpContext http, ThriveStackRequestFeature feature)
        => Get(http, feature, RequestFeatures.Endpoint(http));

    /// <summary><see cref="Get(HttpContext)"/> for a caller that holds the request's feature and endpoint already.</summary>
    public ThriveStackRequestContext Get(HttpContext http, ThriveStackRequestFeature feature, Endpoint? endpoint)
    {
        var current = _options.Current;
        if (!feature.CookiesResolved)
            _cookies.Resolve(http, feature, current);

        var user = VisitorIdentity.CurrentUser(http);
        if (feature.Context is { } cached && ReferenceEquals(feature.ContextUser, user) && ReferenceEquals(feature.SourceEndpoint, endpoint))
            return cached;

        var context = Build(http, feature, current.Identity, endpoint, user);
        feature.Context = context;
        feature.ContextUser = user;
        feature.SourceEndpoint = endpoint;
        return context;
    }

    /// <summary>Marks the request as a page request and resolves (and renews) its cookies before the app runs.</summary>
    /// <returns>The request's feature, for the caller to keep rather than look up again.</returns>
    /// <param name="http">The request.</param>
    /// <param name="current">The options of the moment.</param>
    /// <param name="signals">The consent and client-hint headers, read with the page-request headers.</param>
    public ThriveStackRequestFeature BeginPageRequest(HttpContext http, ThriveStackOptions current, in ClientSignals signals)
    {
        var feature = GetFeature(http);
        feature.IsPageRequest = true;
        if (!feature.Signals.Read)
            feature.Signals = signals;
        if (!feature.CookiesResolved)
            _cookies.Resolve(http, feature, current);
        return feature;
    }

    /// <summary>AutoTrack's state for this request, created on first use.</summary>
    internal static ThriveStackRequestFeature GetFeature(HttpContext http)
    {
        var feature = RequestFeatures.Tracking(http);
        if (feature is null)
        {
            feature = new ThriveStackRequestFeature();
            RequestFeatures.SetTracking(http, feature);
        }
        return feature;
    }

    private ThriveStackRequestContext Build(HttpContext http, ThriveStackRequestFeature feature, VisitorIdentityOptions identity, Endpoint? endpoint,
        System.Security.Claims.ClaimsPrincipal? user)
    {
        var userId = Bounded(_identity.UserId(http, identity, user));
        var isAuthenticated = userId is not null;
        if (!isAuthenticated && identity.TrackAnonymousVisitors)
            userId = feature.DeviceId ?? AnonymousUserId;

        var groupId = Bounded(_identity.GroupId(http, identity, user));
        var source = VisitorIdentity.Source(http, identity, endpoint, isAuthenticated);
        return new ThriveStackRequestContext(userId, isAuthenticated, feature.DeviceId, feature.SessionId, groupId, source, feature.HasConsent);
    }

    private static string? Bounded(string? value) => value is { Length: > EventLimits.MaxIdLength } ? value[..EventLimits.MaxIdLength] : value;
}
