using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>
/// How AutoTrack tells visitors, sessions, users and accounts apart. Section <c>ThriveStack:Identity</c>.
/// Used by page visits, feature events and every event tracked during a request.
/// </summary>
public sealed class VisitorIdentityOptions
{
    /// <summary>Cookie holding the device id (a random 128-bit value). Default <c>ts_device_id</c>.</summary>
    public string DeviceCookieName { get; set; } = "ts_device_id";

    /// <summary>Cookie holding the session id and its last activity. Default <c>ts_session_id</c>.</summary>
    public string SessionCookieName { get; set; } = "ts_session_id";

    /// <summary>How long the device cookie lives; renewed on every page visit. Default 365 days.</summary>
    public TimeSpan DeviceCookieLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Inactivity after which a new session starts; the session cookie is renewed on every page visit. Default 30 minutes.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Whether visitors who are not signed in are tracked, with their device id as <c>user_id</c>. Default <c>true</c>.
    /// When false, their page visits are not tracked and events tracked during their requests keep whatever
    /// <c>user_id</c> the caller gave.
    /// </summary>
    public bool TrackAnonymousVisitors { get; set; } = true;

    /// <summary>
    /// Returns the signed-in user's id. Default: none, which means the <c>NameIdentifier</c> claim, then <c>sub</c>.
    /// Return null for "anonymous". An exception is logged and treated as null.
    /// </summary>
    public Func<HttpContext, string?>? UserIdResolver { get; set; }

    /// <summary>The claim that holds the user's account id (<c>context.group_id</c>). Default <c>group_id</c>.</summary>
    public string GroupIdClaimType { get; set; } = "group_id";

    /// <summary>Returns the account id; overrides <see cref="GroupIdClaimType"/>. An exception is logged and treated as null.</summary>
    public Func<HttpContext, string?>? GroupIdResolver { get; set; }

    /// <summary>
    /// Paths (prefixes, case-insensitive) whose events have <c>source: "marketing"</c> even for signed-in users, e.g.
    /// <c>/pricing</c>. Default: empty.
    /// </summary>
    public IList<string> MarketingPathPrefixes { get; set; } = [];

    /// <summary>Paths (prefixes) whose events have <c>source: "product"</c> even for anonymous visitors. Default: empty.</summary>
    public IList<string> ProductPathPrefixes { get; set; } = [];
}
