using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        // page_title from MVC views and Razor Pages; the listener belongs to this host and ends with it. Only in an app
        // that renders Razor views: any subscriber turns on the host's diagnostics for every request (about 0.2 us of
        // CPU per request, measured by adding one to the bare trivial load-test app, paired, 2026-12-02), which a
        // minimal API or Blazor app would pay for an event that never comes.
        if (PageTitleObserver.HasViews(app.ApplicationServices) && app.ApplicationServices.GetService<DiagnosticListener>() is { } listener)
        {
            var subscription = PageTitleObserver.Subscribe(listener);
            app.ApplicationServices.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(subscription.Dispose);
        }
        return app.UseMiddleware<PageVisitMiddleware>();
    }
}
