using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.Tracking;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Emits one <c>page_visit</c> for each GET that ends in a 2xx HTML response to a document request. <see cref="Invoke"/>
/// is not async: a request that cannot be a page view goes straight to the next middleware at almost no cost. For the
/// others, identity cookies are issued before the app runs and the event is built after it returns. Nothing here waits
/// on I/O, and no exception from tracking reaches the app; the app's own exceptions pass through untouched and produce
/// no event.
/// </summary>
internal sealed partial class PageVisitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Configuration.LiveOptions _options;
    private readonly RequestContextResolver _resolver;
    private readonly IThriveStackTracker _tracker;
    private readonly UserAgentParser _userAgents;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LogThrottle _filterLog;
    private readonly TrackingFailure _failure;
    private readonly Browser.BrowserCollector? _browser;
    private PageVisitRules _rules;

    public PageVisitMiddleware(
        RequestDelegate next,
        IOptionsMonitor<ThriveStackOptions> options,
        RequestContextResolver resolver,
        IThriveStackTracker tracker,
        UserAgentParser userAgents,
        ThriveStackMetrics metrics,
        TimeProvider time,
        ILogger<PageVisitMiddleware> logger,
        Browser.BrowserCollector? browser = null)
    {
        _browser = browser;
        _next = next;
        _options = new Configuration.LiveOptions(options);
        _resolver = resolver;
        _tracker = tracker;
        _userAgents = userAgents;
        _metrics = metrics;
        _logger = logger;
        _filterLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _failure = TrackingFailure.OfPageVisit(metrics, time, logger);
        _rules = new PageVisitRules(_options.Current.PageVisits);
    }

    public Task Invoke(HttpContext context)
    {
        var options = _options.Current;
        if (_browser?.TryHandle(context) is { } browserRequest)
            return browserRequest; // the browser script or its /collect
        if (!options.Enabled || !options.PageVisits.Enabled || !Rules(options.PageVisits).IsCandidate(context.Request, out var kind, out var signals))
            return _next(context);
        return InvokePageAsync(context, options, kind, signals);
    }

    private async Task InvokePageAsync(HttpContext context, ThriveStackOptions options, PageRequestKind kind, ClientSignals signals)
    {
        UserAgentInfo? userAgent = null;
        ThriveStackRequestFeature? feature = null; // looked up once: each lookup of a feature Kestrel does not know walks its list
        Endpoint? endpoint = null;
        try
        {
            // Bots are not visitors: no cookies, no event, only a count. Placed after routing, the endpoint is known now
            // and an opted-out page gets no cookies either.
            var agent = context.Request.Headers.UserAgent.ToString();
            var info = _userAgents.Parse(agent);
            var isBot = info.IsBot || string.IsNullOrWhiteSpace(agent);
            if (isBot)
                _metrics.BotPageView();
            endpoint = RequestFeatures.Endpoint(context);
            if ((!isBot || options.UserAgents.TrackBots) && endpoint?.Metadata.GetMetadata<DoNotTrackAttribute>() is null)
            {
                feature = _resolver.BeginPageRequest(context, options, signals);
                userAgent = isBot && !info.IsBot ? UserAgentParser.UnknownBot : info;
                feature.UserAgent = userAgent; // the enricher's, for every event of the request
                if (options.Browser.Enabled)
                    context.Response.OnStarting(MarkCounted, context);
            }
        }
        catch (Exception ex)
        {
            Failed(ex);
        }

        // Outside MVC (whose views set ViewData["Title"]) a page's title is in its HTML only: a Razor component's
        // <PageTitle> renders into the head, a minimal API writes its own. Read it as it is written.
        var title = userAgent is not null && feature is not null && !Features.MvcIntegration.IsAction(endpoint)
            ? StartTitleCapture(context, feature)
            : null;
        try
        {
            await _next(context);
        }
        finally
        {
            if (title is not null)
                FinishTitleCapture(title);
        }

        if (userAgent is null || feature is null)
            return;
        try
        {
            TrackVisit(context, options, kind, feature);
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// Tells the browser script that the server counts this page, so it does not report it again: a
    /// <c>Server-Timing: thrivestack</c> entry, which the page reads from the Performance API (for the document and for
    /// pages that Blazor, htmx or Turbo fetch alike).
    /// </summary>
    private static Task MarkCounted(object state)
    {
        var response = ((HttpContext)state).Response;
        if (response.StatusCode is >= 200 and <= 299 and not 204 and not 205 && PageVisitRules.IsHtml(response.ContentType))
            response.Headers.Append("Server-Timing", "thrivestack;desc=\"page_visit\"");
        return Task.CompletedTask;
    }

    private TitleCapture? StartTitleCapture(HttpContext context, ThriveStackRequestFeature feature)
    {
        try
        {
            return TitleCapture.Start(context, feature);
        }
        catch (Exception ex)
        {
            Failed(ex);
            return null;
        }
    }

    private void FinishTitleCapture(TitleCapture title)
    {
        try
        {
            title.Finish();
        }
        catch (Exception ex)
        {
            Failed(ex); // the original body is back either way
        }
    }

    private void TrackVisit(HttpContext context, ThriveStackOptions options, PageRequestKind kind, ThriveStackRequestFeature feature)
    {
        var response = context.Response;
        if (response.StatusCode is < 200 or > 299 or 204 or 205 || !PageVisitRules.IsHtml(response.ContentType))
            return;
        var endpoint = RequestFeatures.Endpoint(context); // again: the app may have re-executed the request elsewhere
        if (endpoint?.Metadata.GetMetadata<DoNotTrackAttribute>() is not null)
            return;

        var visitor = _resolver.Get(context, feature, endpoint);
        if (visitor.UserId is null || (!visitor.HasConsent && options.Privacy.WithoutConsent == NoConsentBehavior.DoNotTrack))
            return;
        if (options.PageVisits.Filter is { } filter && !RunFilter(filter, context))
            return;

        // The URL, path, referrer and UTM fields are worked out from the request's parts when the event is written, off
        // the request path.
        var title = feature.PageTitle;
        var visit = ThriveStackEvent.PageVisit(
            visitor.UserId,
            new PageSource(context.Request, kind, options.Privacy, options.PageVisits.MaxUrlLength),
            title is null ? null : PageUrl.Truncate(title, PageUrl.MaxValueLength));
        visit.DeferredContext = visitor; // the request's ids, as the tracker's enricher would add them; it adds the user-agent properties
        _tracker.Track(visit);
    }

    private bool RunFilter(Func<HttpContext, bool> filter, HttpContext context)
    {
        try
        {
            return filter(context);
        }
        catch (Exception ex)
        {
            if (_filterLog.TryEnter(out var suppressed))
                Log.FilterFailed(_logger, ex, suppressed);
            return false;
        }
    }

    private PageVisitRules Rules(PageVisitOptions options)
    {
        var rules = _rules;
        if (!ReferenceEquals(rules.Options, options))
            _rules = rules = new PageVisitRules(options); // options reloaded
        return rules;
    }

    private void Failed(Exception ex) => _failure.Report(ex);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.PageVisitFilterFailed, LogLevel.Warning,
            "ThriveStack: the PageVisits.Filter callback threw; the request is not tracked. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void FilterFailed(ILogger logger, Exception exception, long suppressed);
    }
}
