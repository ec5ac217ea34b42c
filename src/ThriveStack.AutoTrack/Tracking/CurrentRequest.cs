using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// The request being served on this async flow, so that an event the app tracks during it (and its identify and group
/// calls) gets the request's ids. Set by a middleware at the start of the pipeline (<see cref="StartupFilter"/>), with
/// or without <c>UseThriveStackTracking()</c>; cleared when the request leaves it, so work the request started and that
/// outlives it (a fire-and-forget task) finds no request rather than the next one served on the same connection.
/// </summary>
/// <remarks>
/// AutoTrack used to register <see cref="IHttpContextAccessor"/> for this. With an accessor registered, the hosting
/// layer gives up reusing a connection's <see cref="HttpContext"/> objects: every request then allocates a new context,
/// request and response (about 300 bytes, measured on a minimal-API page) besides the accessor's own async-local write.
/// This costs the same write, a small holder and an async frame, and nothing else. An app that registers its own
/// accessor keeps it, and AutoTrack reads that one instead of adding a second write (<see cref="StartupFilter"/>).
/// </remarks>
internal static class CurrentRequest
{
    private static readonly AsyncLocal<Holder?> s_current = new();

    /// <summary>The request this flow serves, or null outside one (or once it has left the pipeline).</summary>
    public static HttpContext? Context => s_current.Value?.Context;

    /// <summary>Runs the rest of the pipeline with <paramref name="context"/> as the current request.</summary>
    public static async Task RunAsync(RequestDelegate next, HttpContext context)
    {
        // Async, so the flow's value is restored for the caller when this returns, however the rest completes.
        var holder = new Holder { Context = context };
        s_current.Value = holder;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            holder.Context = null; // flows that captured the holder see the request ended
        }
    }

    // A box shared by every flow that captured it, so that clearing it reaches them all.
    private sealed class Holder
    {
        public HttpContext? Context;
    }

    /// <summary>
    /// Puts <see cref="RunAsync"/> first in the app's pipeline, unless the app registered an
    /// <see cref="IHttpContextAccessor"/> (which the hosting layer sets for every request already).
    /// </summary>
    internal sealed class StartupFilter(IServiceProvider services) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (services.GetService<IHttpContextAccessor>() is null)
                app.Use(static next => context => RunAsync(next, context));
            next(app);
        };
    }
}
