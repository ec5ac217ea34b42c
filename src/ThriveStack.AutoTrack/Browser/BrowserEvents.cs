using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// Turns what the script reported into track events, as the server's own: a page view becomes a <c>page_visit</c> with
/// the URL's path, UTM fields and redactions and the page-visit rules (enabled, excluded paths); a click becomes a
/// <c>feature_used</c> or the named event. Who it was comes from the request's cookies, claims and consent, through the
/// tracker's enricher, never from the body.
/// </summary>
internal sealed class BrowserEvents(IOptionsMonitor<ThriveStackOptions> options, RequestContextResolver visitors, IThriveStackTracker tracker)
{
    private readonly Configuration.LiveOptions _options = new(options);

    private PageVisitRules? _rules;

    /// <summary>Null when every event may be tracked; else the reason the post is refused.</summary>
    public string? Check(List<BrowserEvent> events, HttpRequest request)
    {
        foreach (var e in events)
        {
            if (e.Kind == BrowserEventKind.PageView)
            {
                if (!IsOwnPage(e.Url!, request) || (e.Referrer is not null && !IsHttpUrl(e.Referrer)))
                    return CollectRefusals.InvalidUrl;
            }
            else if (!IsName(e.Name!))
            {
                return CollectRefusals.InvalidName;
            }
        }
        return null;
    }

    /// <summary>Tracks checked events within the request, so the enricher adds its visitor's ids.</summary>
    public void Track(HttpContext context, List<BrowserEvent> events)
    {
        var current = _options.Current;
        var visitor = visitors.Get(context); // resolves (and renews) the device and session cookies, as a page view does
        if (visitor.UserId is null || (!visitor.HasConsent && current.Privacy.WithoutConsent == NoConsentBehavior.DoNotTrack))
            return;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case BrowserEventKind.PageView:
                    if (PageVisit(e, current) is { } visit)
                        tracker.Track(visit);
                    break;
                case BrowserEventKind.Feature:
                    tracker.Track(new ThriveStackEvent(StandardEvents.FeatureUsed).WithProperty(ReservedProperties.FeatureName, e.Name));
                    break;
                case BrowserEventKind.Event:
                    tracker.Track(new ThriveStackEvent(e.Name!));
                    break;
            }
        }
    }

    private ThriveStackEvent? PageVisit(BrowserEvent e, ThriveStackOptions current)
    {
        var pages = current.PageVisits;
        var uri = new Uri(e.Url!);
        if (!pages.Enabled || !Rules(pages).IsPathTracked(uri.AbsolutePath))
            return null;
        var maxUrl = pages.MaxUrlLength;
        var query = PageUrl.ProcessQuery(uri.Query, current.Privacy, out var utm);
        // A hash route (#/projects, #!/projects) is the page; any other fragment (an anchor, or a token) is left out.
        var route = uri.Fragment.StartsWith("#/", StringComparison.Ordinal) || uri.Fragment.StartsWith("#!/", StringComparison.Ordinal) ? uri.Fragment : "";
        var pageUrl = PageUrl.Truncate(string.Concat(uri.Scheme, "://", uri.Authority, uri.AbsolutePath, query, route), maxUrl);
        var referrer = e.Referrer is null ? null : PageUrl.Referrer(e.Referrer, current.Privacy, maxUrl);
        return ThriveStackEvent.PageVisit(null, pageUrl, PageUrl.Truncate(uri.AbsolutePath, PageUrl.MaxPathLength), referrer,
            e.Title is null ? null : PageUrl.Truncate(e.Title, PageUrl.MaxValueLength), utm);
    }

    /// <summary>An http(s) URL on the app's own host and port: the script reports the page it runs in, nothing else.</summary>
    private static bool IsOwnPage(string url, HttpRequest request)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
           string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static bool IsHttpUrl(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>A feature or event name: snake_case letters, digits and underscores, starting with a letter.</summary>
    private static bool IsName(string name)
    {
        if (name.Length is 0 or > CollectRequest.MaxNameLength || !char.IsAsciiLetterLower(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
                return false;
        }
        return true;
    }

    private PageVisitRules Rules(PageVisitOptions pages)
    {
        var rules = _rules;
        if (rules is null || !ReferenceEquals(rules.Options, pages))
            _rules = rules = new PageVisitRules(pages);
        return rules;
    }
}
