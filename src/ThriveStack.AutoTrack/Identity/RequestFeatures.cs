using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// The request features AutoTrack reads on a tracked page view, looked up through the feature collection's indexer.
/// </summary>
/// <remarks>
/// <c>Features.Get&lt;T&gt;()</c> is a generic virtual method: every call resolves its target through the runtime's
/// generic dispatch cache, and on Kestrel a feature the request does not have (no authentication, no cookie policy)
/// makes a second such call on the connection's features. A tracked page view made eighteen such calls, and eight more
/// on the connection's features. The indexer is an ordinary interface call and walks the same list; with it, and fewer lookups, a tracked page view cost about
/// 1 µs less in paired runs (docs/performance.md, 2026-12-02).
/// </remarks>
internal static class RequestFeatures
{
    /// <summary>The request's endpoint, as <c>HttpContext.GetEndpoint()</c> returns it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Endpoint? Endpoint(HttpContext http) => (http.Features[typeof(IEndpointFeature)] as IEndpointFeature)?.Endpoint;

    /// <summary>
    /// The request's user if anything set one (authentication, a test), else null: reading <see cref="HttpContext.User"/>
    /// would create an empty principal, and its feature, on every page view of an app without authentication.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ClaimsPrincipal? User(HttpContext http) => (http.Features[typeof(IHttpAuthenticationFeature)] as IHttpAuthenticationFeature)?.User;

    /// <summary>AutoTrack's state for the request, if it has any yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ThriveStackRequestFeature? Tracking(HttpContext http) => http.Features[typeof(ThriveStackRequestFeature)] as ThriveStackRequestFeature;

    /// <summary>Gives the request AutoTrack's state.</summary>
    public static void SetTracking(HttpContext http, ThriveStackRequestFeature feature) => http.Features[typeof(ThriveStackRequestFeature)] = feature;

    /// <summary>The cookie policy's consent feature, when the app uses one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ITrackingConsentFeature? Consent(HttpContext http) => http.Features[typeof(ITrackingConsentFeature)] as ITrackingConsentFeature;

    /// <summary>The response cookies feature, when something has made one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IResponseCookiesFeature? ResponseCookies(HttpContext http) => http.Features[typeof(IResponseCookiesFeature)] as IResponseCookiesFeature;

    /// <summary>The response body feature.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static IHttpResponseBodyFeature? ResponseBody(HttpContext http) => http.Features[typeof(IHttpResponseBodyFeature)] as IHttpResponseBodyFeature;

    /// <summary>Replaces the response body feature.</summary>
    public static void SetResponseBody(HttpContext http, IHttpResponseBodyFeature feature) => http.Features[typeof(IHttpResponseBodyFeature)] = feature;
}
