using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// What a page visit's <c>page_url</c>, <c>page_path</c>, <c>page_referrer</c> and UTM fields are made from, taken from
/// the request as it is (references to strings the server has already made, no work) so that they are worked out
/// after the response, off the request path: by the collecting loop when the event is written, or by whoever first
/// reads <see cref="ThriveStackEvent.Properties"/>. <see cref="Resolve"/> gives exactly what working them out during
/// the request gave.
/// </summary>
internal readonly struct PageSource
{
    private readonly string _scheme;
    private readonly HostString _host;
    private readonly PathString _pathBase;
    private readonly PathString _path;
    private readonly string? _query;
    private readonly string _referrer;       // as sent: HX-Current-URL for an htmx navigation, else Referer ("" when none)
    private readonly bool _blazorEnhanced;   // then a referrer equal to the page itself is none (InAppNavigation.RawReferrer)
    private readonly PrivacyOptions _privacy;

    /// <summary>Takes the request's parts; <paramref name="kind"/> says where its referrer is.</summary>
    public PageSource(HttpRequest request, PageRequestKind kind, PrivacyOptions privacy, int maxUrlLength)
    {
        _scheme = request.Scheme;
        _host = request.Host;
        _pathBase = request.PathBase;
        _path = request.Path;
        _query = request.QueryString.Value;
        _referrer = InAppNavigation.RawReferrer(request, kind);
        _blazorEnhanced = kind == PageRequestKind.BlazorEnhanced;
        _privacy = privacy;
        MaxUrlLength = maxUrlLength;
    }

    /// <summary>The longest <c>page_url</c> and <c>page_referrer</c> made.</summary>
    public int MaxUrlLength { get; }

    /// <summary>
    /// Whether every field <see cref="Resolve"/> makes is within <paramref name="maxStringLength"/> whatever the request
    /// held (each is cut to a bound), so an event can be checked before they are made.
    /// </summary>
    public bool IsBoundedBy(int maxStringLength)
        => MaxUrlLength <= maxStringLength && PageUrl.MaxPathLength <= maxStringLength && PageUrl.MaxValueLength <= maxStringLength;

    /// <summary>Works the fields out: secrets redacted, UTM values decoded, every value cut to its bound.</summary>
    public void Resolve(out string pageUrl, out string pagePath, out string? pageReferrer, out UtmParameters? utm)
    {
        pageUrl = PageUrl.Build(_scheme, _host, _pathBase, _path, _query, _privacy, MaxUrlLength, out utm);
        pagePath = PageUrl.Path(_pathBase, _path);
        var referrer = PageUrl.Referrer(_referrer, _privacy, MaxUrlLength);
        pageReferrer = _blazorEnhanced && string.Equals(referrer, pageUrl, StringComparison.Ordinal) ? null : referrer;
    }
}
