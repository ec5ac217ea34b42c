using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// The request headers that consent (<see cref="ConsentSignals"/>) and the user agent's client hints
/// (<see cref="UserAgents.UserAgentEnrichment"/>) read, taken from the page-visit middleware's one pass over the request's
/// headers (<see cref="PageVisits.PageRequestHeaders"/>) so that they are not looked up by name again. None is a header
/// Kestrel knows by name. Timed on Kestrel (2026-12-03): with the fifteen headers Chrome sends for a page, the four
/// lookups took 116–140 ns and the pass took them at no cost that showed (268–293 ns with or without them); with three
/// headers, 60–87 ns.
/// </summary>
internal struct ClientSignals
{
    /// <summary>The headers below were read in a pass: what is not set was not sent. When false, look them up.</summary>
    public bool Read;

    /// <summary><c>Sec-GPC: 1</c>.</summary>
    public bool GlobalPrivacyControl;

    /// <summary><c>DNT: 1</c>.</summary>
    public bool DoNotTrack;

    /// <summary><c>Sec-CH-UA-Mobile</c>.</summary>
    public StringValues Mobile;

    /// <summary><c>Sec-CH-UA-Platform</c>.</summary>
    public StringValues Platform;

    public const string GlobalPrivacyControlHeader = "Sec-GPC";
    public const string DoNotTrackHeader = "DNT";
    public const string MobileHeader = "Sec-CH-UA-Mobile";
    public const string PlatformHeader = "Sec-CH-UA-Platform";

    /// <summary>Whether a privacy signal's header says "1" (exactly one value).</summary>
    public static bool IsOn(StringValues value) => value == "1";

    public readonly bool SaysGlobalPrivacyControl(IHeaderDictionary headers)
        => Read ? GlobalPrivacyControl : IsOn(headers[GlobalPrivacyControlHeader]);

    public readonly bool SaysDoNotTrack(IHeaderDictionary headers)
        => Read ? DoNotTrack : IsOn(headers[DoNotTrackHeader]);

    public readonly StringValues MobileOf(IHeaderDictionary headers) => Read ? Mobile : headers[MobileHeader];

    public readonly StringValues PlatformOf(IHeaderDictionary headers) => Read ? Platform : headers[PlatformHeader];
}
