using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// The cheap, allocation-free checks that decide before the app runs whether a request could be a page view, compiled
/// from one <see cref="PageVisitOptions"/> instance (rebuilt when options reload).
/// </summary>
internal sealed class PageVisitRules
{
    // Extensions that are never pages. A path with another extension (or none) may still be one: .html, .aspx, /docs/v1.2.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AssetExtensions = FrozenSet.ToFrozenSet(
    [
        ".css", ".js", ".mjs", ".map", ".json", ".xml", ".txt", ".ico", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp",
        ".avif", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp4", ".webm", ".mp3", ".wav", ".ogg", ".pdf", ".zip",
        ".gz", ".br", ".wasm", ".dll", ".pdb", ".dat", ".blat", ".csv", ".webmanifest", ".rss", ".atom",
    ], StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly PathPatternSet _exclude;
    private readonly PathPatternSet _include;

    public PageVisitRules(PageVisitOptions options)
    {
        Options = options;
        var exclude = options.UseDefaultExcludePaths ? PageVisitOptions.DefaultExcludePaths.Concat(options.ExcludePaths) : options.ExcludePaths;
        _exclude = new(exclude.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new PathPattern(p)));
        _include = new(options.IncludePaths.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new PathPattern(p)));
    }

    public PageVisitOptions Options { get; }

    /// <summary>
    /// A GET for a document, or an in-app navigation (<see cref="InAppNavigation"/>: Blazor enhanced navigation, htmx
    /// boosted, Turbo Drive; Blazor's and htmx's form posts too), on a path that may be tracked, that is not a prefetch,
    /// a fragment or a script's request. <paramref name="kind"/> says which, for the referrer
    /// (<see cref="InAppNavigation.RawReferrer"/>), so the headers are not asked again; <paramref name="signals"/> holds
    /// the consent and client-hint headers read in the same pass (unread when the answer is false).
    /// </summary>
    public bool IsCandidate(HttpRequest request, out PageRequestKind kind, out Identity.ClientSignals signals)
    {
        kind = PageRequestKind.Document;
        signals = default;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
            return false;

        var path = request.Path.Value ?? "/";
        if (HasAssetExtension(path) || !IsPathTracked(path))
            return false;

        var headers = request.Headers;
        var found = PageRequestHeaders.Read(headers);
        if (found.Prefetch)
            return false;
        signals = found.Signals;
        kind = InAppNavigation.Classify(headers, in found);
        switch (kind)
        {
            case PageRequestKind.BlazorEnhanced or PageRequestKind.HtmxBoosted:
                return Options.TrackInAppNavigations;
            case PageRequestKind.TurboVisit:
                return isGet && Options.TrackInAppNavigations;
            case PageRequestKind.Fragment:
                return false;
        }
        if (!isGet)
            return false; // a plain form post is not a page view; the page it redirects to is

        var dest = found.SecFetchDest;
        if (dest.Count > 0)
        {
            if (!string.Equals(dest[0], "document", StringComparison.OrdinalIgnoreCase))
                return false; // images, scripts, fetch(), iframes
        }
        else if (!AcceptsHtml(headers.Accept))
        {
            return false;
        }

        return !IsXhr(found.XRequestedWith);
    }

    // jQuery and most script libraries send X-Requested-With: XMLHttpRequest. Android's WebView has sent the app's
    // package name on every request, page loads included (since Chromium 111 it is being rolled back to sites the app
    // allows): that is not a script's request.
    private static bool IsXhr(Microsoft.Extensions.Primitives.StringValues requestedWith)
    {
        foreach (var value in requestedWith)
        {
            if (string.Equals(value, "XMLHttpRequest", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    public bool IsPathTracked(ReadOnlySpan<char> path)
        => !_exclude.MatchesAny(path) && (_include.IsEmpty || _include.MatchesAny(path));

    /// <summary>text/html or application/xhtml+xml, with or without parameters.</summary>
    public static bool IsHtml(string? contentType)
        => contentType is not null &&
           (contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ||
            contentType.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    private static bool HasAssetExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash && AssetExtensions.Contains(path.AsSpan(dot));
    }

    private static bool AcceptsHtml(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (accept.Count == 0)
            return true; // no preference: the response's content type decides
        foreach (var value in accept)
        {
            if (value is null)
                continue;
            if (value.Contains("text/html", StringComparison.OrdinalIgnoreCase) ||
                value.Contains("application/xhtml+xml", StringComparison.OrdinalIgnoreCase) ||
                value.Contains("*/*", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
