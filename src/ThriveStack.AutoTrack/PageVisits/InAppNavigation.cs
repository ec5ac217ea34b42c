using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Page requests that are not a full document load: the libraries that fetch the next page with <c>fetch()</c> and swap
/// it into the current document, told apart by the headers they send. Each is a page view when it ends in 2xx HTML;
/// the same libraries' partial requests (a frame, a fragment, a prefetch) are not.
/// </summary>
internal static class InAppNavigation
{
    /// <summary>
    /// Blazor's enhanced navigation and enhanced form posts send exactly this <c>Accept</c> header (ASP.NET Core,
    /// <c>src/Components/Web.JS/src/Services/NavigationEnhancement.ts</c>; the server tells them apart the same way in
    /// <c>EndpointHtmlRenderer.Streaming.cs</c>, <c>IsProgressivelyEnhancedNavigation</c>).
    /// </summary>
    public const string BlazorEnhancedAccept = "text/html; blazor-enhanced-nav=on";

    /// <summary>What kind of page request it is, from its headers alone (<see cref="PageRequestHeaders"/>, read once).</summary>
    public static PageRequestKind Classify(IHeaderDictionary headers, in PageRequestHeaders found)
    {
        var accept = headers.Accept;
        if (accept.Count == 1 && string.Equals(accept[0], BlazorEnhancedAccept, StringComparison.Ordinal))
            return PageRequestKind.BlazorEnhanced;

        // htmx (https://htmx.org/reference/#request_headers): every request says HX-Request: true; a boosted link or form
        // adds HX-Boosted: true, and re-fetching a page for the back button after a history-cache miss adds
        // HX-History-Restore-Request: true. Anything else from htmx is a fragment.
        if (found.HxRequest.Count > 0)
        {
            return IsTrue(found.HxBoosted) || IsTrue(found.HxHistoryRestoreRequest)
                ? PageRequestKind.HtmxBoosted
                : PageRequestKind.Fragment;
        }

        // Hotwire Turbo (hotwired/turbo, src/http/fetch.js) adds X-Turbo-Request-Id to every request it makes; a
        // <turbo-frame>'s request adds Turbo-Frame: <id> (src/core/frames/frame_controller.js), and a hover prefetch
        // X-Sec-Purpose: prefetch (caught with the other prefetch headers). A Drive visit is the rest.
        if (found.XTurboRequestId.Count > 0)
            return found.TurboFrame.Count > 0 ? PageRequestKind.Fragment : PageRequestKind.TurboVisit;

        return PageRequestKind.Document;
    }

    /// <summary>
    /// The page the visitor came from, as sent, for <c>page_referrer</c> (<see cref="PageSource"/> checks and redacts it):
    /// "" when there is none. A document load's is its <c>Referer</c>. htmx names the page it navigates from in
    /// <c>HX-Current-URL</c>. Blazor puts the new address in the history before it fetches the page, so an enhanced
    /// navigation's <c>Referer</c> is the page itself, which <see cref="PageSource"/> leaves out.
    /// </summary>
    /// <param name="request">The page request.</param>
    /// <param name="kind">What <see cref="Classify"/> made of it (<see cref="PageVisitRules.IsCandidate"/> hands it on).</param>
    public static string RawReferrer(HttpRequest request, PageRequestKind kind)
    {
        var current = kind == PageRequestKind.HtmxBoosted ? request.Headers["HX-Current-URL"] : default;
        return current.Count > 0 ? current.ToString() : request.Headers.Referer.ToString();
    }

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value)
        => value.Count > 0 && string.Equals(value[0], "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>How a request that may show a page asks for it.</summary>
internal enum PageRequestKind
{
    /// <summary>A document load (or a client that says nothing more); the <c>Sec-Fetch-Dest</c>/<c>Accept</c> rules decide.</summary>
    Document,

    /// <summary>Blazor enhanced navigation or enhanced form post.</summary>
    BlazorEnhanced,

    /// <summary>An htmx boosted link or form, or a history restore.</summary>
    HtmxBoosted,

    /// <summary>A Turbo Drive visit.</summary>
    TurboVisit,

    /// <summary>A piece of a page (an htmx partial, a Turbo frame): never a page view.</summary>
    Fragment,
}
