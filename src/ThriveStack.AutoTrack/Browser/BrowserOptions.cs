namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// The first-party browser collector (section <c>ThriveStack:Browser</c>): <c>UseThriveStackTracking()</c> serves a small
/// script at <c>{PathPrefix}/autotrack.js</c> and takes what it reports at <c>POST {PathPrefix}/collect</c>, on the app's
/// own origin. The script reports what the server cannot see (single-page route changes, back/forward-cache restores,
/// clicks on elements marked <c>data-thrivestack-feature</c> or <c>data-thrivestack-event</c>); the server adds every
/// identifier, from the same cookies, claims and consent rules as its own page visits.
/// </summary>
public sealed class BrowserOptions
{
    /// <summary>Whether the script and the collect endpoint are served. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where both are served. Default <c>/_thrivestack</c> (already excluded from page visits).</summary>
    public string PathPrefix { get; set; } = "/_thrivestack";

    /// <summary>Largest body of one <c>/collect</c> post, in bytes; larger is refused (413). Default 16,384 (1,024–1,048,576).</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Most events in one post; more is refused (400). The script sends at most this many at once. Default 20 (1–100).</summary>
    public int MaxEventsPerPost { get; set; } = 20;

    /// <summary>Posts one device (its cookie) may make per minute; more are refused (429). Default 120.</summary>
    public int PostsPerMinutePerDevice { get; set; } = 120;

    /// <summary>Posts one client address may make per minute, whatever its devices; more are refused (429). Default 1,200.</summary>
    public int PostsPerMinutePerAddress { get; set; } = 1200;

    /// <summary>Report <c>history.pushState</c>/<c>replaceState</c>/<c>popstate</c> route changes as page views. Default <c>true</c>.</summary>
    public bool TrackRouteChanges { get; set; } = true;

    /// <summary>Report <c>hashchange</c> (hash-routed apps) as page views. Default <c>true</c>.</summary>
    public bool TrackHashChanges { get; set; } = true;

    /// <summary>Report a page restored from the back/forward cache (<c>pageshow</c> with <c>persisted</c>) as a page view. Default <c>true</c>.</summary>
    public bool TrackBackForwardCache { get; set; } = true;

    /// <summary>Report clicks on elements marked <c>data-thrivestack-feature</c> or <c>data-thrivestack-event</c>. Default <c>true</c>.</summary>
    public bool TrackClicks { get; set; } = true;
}
