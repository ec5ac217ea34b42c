using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>AutoTrack's per-request state, kept in <see cref="HttpContext.Features"/>.</summary>
internal sealed class ThriveStackRequestFeature
{
    /// <summary>True when the page-visit middleware found the request to be a possible page view.</summary>
    public bool IsPageRequest { get; set; }

    public bool CookiesResolved { get; set; }

    public bool HasConsent { get; set; }

    public string? DeviceId { get; set; }

    public string? SessionId { get; set; }

    public ThriveStackRequestContext? Context { get; set; }

    /// <summary>The principal <see cref="Context"/> was built for; authentication may replace it later in the pipeline.</summary>
    public ClaimsPrincipal? ContextUser { get; set; }

    /// <summary>The endpoint <see cref="Context"/>'s source was worked out for; routing may pick one later.</summary>
    public Endpoint? SourceEndpoint { get; set; }

    /// <summary>The <c>[TrackFeature]</c> / <c>[TrackEvent]</c> events this request owes.</summary>
    public Features.TrackedAction? TrackedAction { get; set; }

    /// <summary>The request's parsed user agent, once something needed it (the page-visit middleware, or the enricher).</summary>
    public UserAgents.UserAgentInfo? UserAgent { get; set; }

    /// <summary>The principal the automatic identify was last considered for in this request (<see cref="AutoIdentify"/>).</summary>
    public ClaimsPrincipal? AutoIdentifiedUser { get; set; }

    /// <summary>The consent and client-hint headers, when the page-visit middleware read them in its pass (a field: a struct).</summary>
    public ClientSignals Signals;

    /// <summary>Set by an MVC view or Razor Page (<c>ViewData["Title"]</c>) or by app code.</summary>
    public string? PageTitle { get; set; }
}
