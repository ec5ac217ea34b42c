using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// The one place that adds a request's ids and user-agent properties to an event tracked during it, whoever tracks it:
/// page visits, <c>[TrackFeature]</c>/<c>[TrackEvent]</c> and the app's own <c>Track</c> calls alike. Ids fill only what
/// the caller left empty; <c>page_visit</c> always gets the browser, OS and device type, other events with
/// <see cref="UserAgentParserOptions.EnrichAllEvents"/>. The user agent is parsed once per request.
/// </summary>
internal sealed class RequestEnricher(RequestContextResolver requestContext, UserAgentParser userAgents, IOptionsMonitor<ThriveStackOptions> options)
{
    private readonly Configuration.LiveOptions _options = new(options);

    public void Enrich(ThriveStackEvent trackEvent, HttpContext http)
    {
        ThriveStackRequestFeature? feature = null; // looked up once: a lookup of a feature the server does not know walks a list
        if (trackEvent.EventName == StandardEvents.PageVisit || _options.Current.UserAgents.EnrichAllEvents)
        {
            feature = RequestContextResolver.GetFeature(http);
            // Into the caller's bag where there is one (without overriding), else beside the page's fields, without a bag.
            if (trackEvent.PropertiesAsSet is { } properties)
                UserAgentEnrichment.AddTo(properties, http.Request, UserAgentOf(http, feature), feature.Signals);
            else
                UserAgentEnrichment.AddTo(trackEvent.Deferred ??= new DeferredProperties(), http.Request, UserAgentOf(http, feature), feature.Signals);
        }

        if (trackEvent.DeferredContext is not null ||
            (trackEvent.UserId is not null && trackEvent.ContextAsSet is { DeviceId: not null, SessionId: not null, GroupId: not null, Source: not null }))
        {
            return;
        }
        var request = requestContext.Get(http, feature ?? RequestContextResolver.GetFeature(http));
        trackEvent.UserId ??= request.UserId;
        if (trackEvent.ContextAsSet is null && trackEvent.UserId == request.UserId)
        {
            trackEvent.DeferredContext = request; // the request's ids are the whole context: no EventContext made
            return;
        }
        var context = trackEvent.GetOrCreateContext();
        context.DeviceId ??= request.DeviceId;
        context.SessionId ??= request.SessionId;
        context.Source ??= request.Source;
        // Another user's event (e.g. signed_up for the user just created) shares the device and session, not the account.
        if (trackEvent.UserId == request.UserId)
            context.GroupId ??= request.GroupId;
    }

    /// <summary>The request's parsed user agent: the page-visit middleware's, or parsed now and kept for the request.</summary>
    private UserAgentInfo UserAgentOf(HttpContext http, ThriveStackRequestFeature feature)
    {
        return feature.UserAgent ??= userAgents.Parse(http.Request.Headers.UserAgent.ToString());
    }
}
