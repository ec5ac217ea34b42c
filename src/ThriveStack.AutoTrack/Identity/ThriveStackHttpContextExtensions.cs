using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;

namespace Microsoft.AspNetCore.Http;

/// <summary>AutoTrack's view of the current request.</summary>
public static class ThriveStackHttpContextExtensions
{
    /// <summary>
    /// The ids every event of this request carries (user, device, session, account, source). Resolves them on first use,
    /// issuing the device and session cookies if consent allows and the response has not started.
    /// </summary>
    /// <param name="context">The current request.</param>
    /// <returns>The request's tracking context.</returns>
    /// <exception cref="InvalidOperationException"><c>AddThriveStack()</c> was not called.</exception>
    public static ThriveStackRequestContext GetThriveStackContext(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resolver = context.RequestServices.GetService<RequestContextResolver>()
            ?? throw new InvalidOperationException("AutoTrack is not registered. Call 'builder.Services.AddThriveStack()'.");
        return resolver.Get(context);
    }

    /// <summary>Sets this request's <c>page_title</c>, for pages not rendered by MVC views or Razor Pages.</summary>
    /// <param name="context">The current request.</param>
    /// <param name="title">The title; cut to 256 characters when sent.</param>
    public static void SetThriveStackPageTitle(this HttpContext context, string? title)
    {
        ArgumentNullException.ThrowIfNull(context);
        RequestContextResolver.GetFeature(context).PageTitle = title;
    }
}
