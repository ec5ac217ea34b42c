using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.EventsPage;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The local events page: <c>app.MapThriveStackEvents()</c>.</summary>
public static class ThriveStackEventsPageExtensions
{
    /// <summary>The page's path: <c>/_thrivestack/events</c> (and <c>/_thrivestack/events.json</c>).</summary>
    public const string Path = "/_thrivestack/events";

    /// <summary>
    /// Maps <c>/_thrivestack/events</c>, a page of the events the app sent (newest first, each as JSON, contract problems
    /// highlighted, refreshed every 2 seconds), and <c>/_thrivestack/events.json</c>. In Development it is on; with no
    /// API key there, events are kept in the app for it instead of being sent
    /// (<see cref="EventsPageOptions.KeepEventsInDevelopment"/>). In any other environment it is mapped only when
    /// <paramref name="authorizationPolicy"/> names a policy, which every request must then satisfy; it then shows
    /// copies of the events the API accepted since startup.
    /// </summary>
    /// <param name="endpoints">The app (or another endpoint route builder).</param>
    /// <param name="authorizationPolicy">
    /// The authorization policy that guards the page. Required outside Development, where the page is not mapped without
    /// one; optional in Development.
    /// </param>
    /// <returns>A builder for the page's endpoints, for more conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddThriveStack()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapThriveStackEvents(this IEndpointRouteBuilder endpoints, string? authorizationPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        ThriveStackMarker.EnsureAdded(services, "app.MapThriveStackEvents()");

        var group = endpoints.MapGroup("/_thrivestack");
        var isDevelopment = services.GetService<IHostEnvironment>()?.IsDevelopment() == true;
        if (!isDevelopment && string.IsNullOrWhiteSpace(authorizationPolicy))
            return group; // never in Production unless asked, and then behind a policy

        services.GetRequiredService<LocalEventLog>().StartRecording();
        group.MapGet("events", new RequestDelegate(RenderHtmlAsync));
        group.MapGet("events.json", new RequestDelegate(RenderJsonAsync));
        group.DoNotTrack().ExcludeFromDescription();
        if (!string.IsNullOrWhiteSpace(authorizationPolicy))
            group.RequireAuthorization(authorizationPolicy);
        return group;
    }

    private static async Task RenderHtmlAsync(HttpContext context)
    {
        var events = await FreshEventsAsync(context).ConfigureAwait(false);
        var services = context.RequestServices;
        var html = EventsPageRenderer.Html(events, services.GetRequiredService<LocalEventLog>(),
            services.GetRequiredService<IOptions<ThriveStackOptions>>().Value, services.GetRequiredService<ApiWarnings>().Snapshot());
        NoStore(context.Response, "text/html; charset=utf-8");
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RenderJsonAsync(HttpContext context)
    {
        // Track events by default, as sent; ?kind=identify or ?kind=group for those records instead.
        var kind = context.Request.Query["kind"].ToString() switch
        {
            "identify" => RecordKind.Identify,
            "group" => RecordKind.Group,
            _ => RecordKind.Track,
        };
        var events = await FreshEventsAsync(context).ConfigureAwait(false);
        var json = new ArrayBufferWriter<byte>(4096);
        EventsPageRenderer.Json(events.Where(e => e.Kind == kind), json);
        NoStore(context.Response, "application/json; charset=utf-8");
        await context.Response.Body.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sends what is queued first (waiting at most a second), so a refresh shows the event the last click made.</summary>
    private static async Task<IReadOnlyList<LocalEvent>> FreshEventsAsync(HttpContext context)
    {
        var services = context.RequestServices;
        try
        {
            await services.GetRequiredService<DeliveryPipelines>().FlushAsync(context.RequestAborted)
                .WaitAsync(TimeSpan.FromSeconds(1), context.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A slow API: show what has arrived.
        }
        return services.GetRequiredService<LocalEventLog>().NewestFirst();
    }

    private static void NoStore(HttpResponse response, string contentType)
    {
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
