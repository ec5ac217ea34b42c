using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// Who and where: the user and account from the signed-in principal (or the app's resolver callbacks, whose exceptions
/// are logged and treated as unknown), and the request's source (<c>product</c> or <c>marketing</c>).
/// </summary>
internal sealed partial class VisitorIdentity(TimeProvider time, ILogger logger)
{
    private readonly LogThrottle _resolverLog = new(time, TimeSpan.FromSeconds(10));

    /// <summary>
    /// The request's user if anything set one (authentication, a test), else null: reading <see cref="HttpContext.User"/>
    /// would create an empty principal, and its feature, on every page view of an app without authentication.
    /// </summary>
    public static ClaimsPrincipal? CurrentUser(HttpContext http) => RequestFeatures.User(http);

    /// <summary>The signed-in user's id (<see cref="VisitorIdentityOptions.UserIdResolver"/>, else <c>NameIdentifier</c>, else <c>sub</c>), or null.</summary>
    /// <param name="http">The request.</param>
    /// <param name="identity">The options.</param>
    /// <param name="user">The request's <see cref="CurrentUser"/>, which the caller has looked up already.</param>
    public string? UserId(HttpContext http, VisitorIdentityOptions identity, ClaimsPrincipal? user)
    {
        if (identity.UserIdResolver is { } resolver)
            return Run(resolver, http, nameof(VisitorIdentityOptions.UserIdResolver));
        if (user?.Identity?.IsAuthenticated != true)
            return null;
        return NullIfEmpty(user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value);
    }

    /// <summary>The account id (<see cref="VisitorIdentityOptions.GroupIdResolver"/>, else the group claim of a signed-in user), or null.</summary>
    /// <param name="http">The request.</param>
    /// <param name="identity">The options.</param>
    /// <param name="user">The request's <see cref="CurrentUser"/>, which the caller has looked up already.</param>
    public string? GroupId(HttpContext http, VisitorIdentityOptions identity, ClaimsPrincipal? user)
    {
        if (identity.GroupIdResolver is { } resolver)
            return Run(resolver, http, nameof(VisitorIdentityOptions.GroupIdResolver));
        return user?.Identity?.IsAuthenticated == true ? NullIfEmpty(user.FindFirst(identity.GroupIdClaimType)?.Value) : null;
    }

    /// <summary>The endpoint's <c>[ThriveStackSource]</c>, else the configured path prefixes, else product for signed-in users and marketing for others.</summary>
    public static string Source(HttpContext http, VisitorIdentityOptions identity, Endpoint? endpoint, bool isAuthenticated)
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

    private string? Run(Func<HttpContext, string?> resolver, HttpContext http, string name)
    {
        try
        {
            return NullIfEmpty(resolver(http));
        }
        catch (Exception ex)
        {
            if (_resolverLog.TryEnter(out var suppressed))
                Log.ResolverFailed(logger, ex, name, suppressed);
            return null;
        }
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ResolverFailed, LogLevel.Warning,
            "ThriveStack: the {Resolver} callback threw; the value is treated as unknown. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void ResolverFailed(ILogger logger, Exception exception, string resolver, long suppressed);
    }
}
