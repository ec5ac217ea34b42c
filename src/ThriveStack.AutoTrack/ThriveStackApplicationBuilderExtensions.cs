using ThriveStack.AutoTrack;
using ThriveStack.AutoTrack.PageVisits;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds AutoTrack's page-visit tracking to the pipeline: <c>app.UseThriveStackTracking()</c>.</summary>
public static class ThriveStackApplicationBuilderExtensions
{
    /// <summary>
    /// Emits a <c>page_visit</c> for every page a person sees (a GET answered with a 2xx HTML document) and issues the
    /// device and session cookies. Place it after <c>UseForwardedHeaders</c>, <c>UseStaticFiles</c>, <c>UseCookiePolicy</c>
    /// and <c>UseAuthentication</c>, and before the endpoints.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><c>AddThriveStack()</c> was not called.</exception>
    public static IApplicationBuilder UseThriveStackTracking(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ThriveStackMarker.EnsureAdded(app.ApplicationServices, "app.UseThriveStackTracking()");
        return app.UseMiddleware<PageVisitMiddleware>();
    }
}
