using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Which requests <c>UseThriveStackTracking()</c> turns into <c>page_visit</c> events. Section <c>ThriveStack:PageVisits</c>.
/// Every setting here is reloadable.
/// </summary>
public sealed class PageVisitOptions
{
    /// <summary>
    /// The paths never tracked while <see cref="UseDefaultExcludePaths"/> is on: health and metrics probes, framework
    /// assets, APIs, AutoTrack's own pages and well-known crawler files.
    /// </summary>
    public static IReadOnlyList<string> DefaultExcludePaths { get; } =
    [
        "/health*", "/healthz*", "/ready*", "/alive*", "/metrics*", "/_framework/*", "/_blazor*", "/_vs/*",
        "/api/*", "/_thrivestack/*", "/favicon.ico", "/robots.txt", "/sitemap.xml", "/.well-known/*",
    ];

    /// <summary>Whether page visits are tracked at all. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether <see cref="DefaultExcludePaths"/> apply. Default <c>true</c>.</summary>
    public bool UseDefaultExcludePaths { get; set; } = true;

    /// <summary>
    /// More paths never tracked. Patterns are matched against the request path without the PathBase (so they hold
    /// wherever the app is mounted), case-insensitively;
    /// <c>*</c> matches any run of characters, and a pattern ending in <c>/*</c> also matches the bare prefix
    /// (<c>/admin/*</c> matches <c>/admin</c>). Default: empty.
    /// </summary>
    public IList<string> ExcludePaths { get; set; } = [];

    /// <summary>When not empty, only paths matching one of these patterns are tracked (same syntax). Default: empty.</summary>
    public IList<string> IncludePaths { get; set; } = [];

    /// <summary>
    /// Called after the response for each would-be page visit; return false to skip it. An exception means "don't track"
    /// and is logged. Default: none.
    /// </summary>
    public Func<HttpContext, bool>? Filter { get; set; }

    /// <summary>
    /// Whether a page that the server renders for an in-app navigation is a page view: Blazor enhanced navigation and
    /// enhanced form posts, htmx boosted links and forms (and history restores), Hotwire Turbo Drive visits. Their
    /// fragments (htmx partials, Turbo frames) and prefetches never are. Default <c>true</c>.
    /// </summary>
    public bool TrackInAppNavigations { get; set; } = true;

    /// <summary>Longest <c>page_url</c> and <c>page_referrer</c> sent, in characters; longer ones are cut. Default 2,048.</summary>
    public int MaxUrlLength { get; set; } = 2048;
}
