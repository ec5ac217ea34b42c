namespace ThriveStack.AutoTrack.Identity;

/// <summary>Consent, browser privacy signals and URL redaction. Section <c>ThriveStack:Privacy</c>. The client IP is never sent.</summary>
public sealed class PrivacyOptions
{
    /// <summary>
    /// The query parameters whose values are replaced by <c>REDACTED</c> in <c>page_url</c> and <c>page_referrer</c>,
    /// compared case-insensitively. Default: <see cref="DefaultRedactedQueryParameters"/>. Any parameter whose name contains
    /// <c>password</c>, <c>token</c> or <c>secret</c> is redacted too.
    /// </summary>
    public ISet<string> RedactedQueryParameters { get; set; } = new HashSet<string>(DefaultRedactedQueryParameters, StringComparer.OrdinalIgnoreCase);

    /// <summary>The default redaction list: credentials, one-time codes, session ids and personal data.</summary>
    public static IReadOnlyList<string> DefaultRedactedQueryParameters { get; } =
    [
        "password", "pass", "pwd", "token", "access_token", "id_token", "refresh_token", "auth", "authorization", "code",
        "otp", "email", "mail", "phone", "key", "api_key", "apikey", "secret", "client_secret", "session", "sessionid",
        "session_id", "sid", "signature", "sig", "ssn", "state", "nonce",
    ];

    /// <summary>Whether <c>Sec-GPC: 1</c> (Global Privacy Control) counts as "no consent". Default <c>true</c>.</summary>
    public bool HonorGlobalPrivacyControl { get; set; } = true;

    /// <summary>Whether <c>DNT: 1</c> (Do Not Track) counts as "no consent". Default <c>false</c>.</summary>
    public bool HonorDoNotTrack { get; set; }

    /// <summary>
    /// What happens for a visitor without consent (ASP.NET Core's <c>ITrackingConsentFeature</c> says no, or a honoured
    /// privacy signal): <see cref="NoConsentBehavior.TrackWithoutIdentifiers"/> (default) sets no cookies and sends events
    /// without device and session ids, with <c>user_id</c> <c>anonymous</c> for visitors who are not signed in;
    /// <see cref="NoConsentBehavior.DoNotTrack"/> sends no page visits for them.
    /// </summary>
    public NoConsentBehavior WithoutConsent { get; set; } = NoConsentBehavior.TrackWithoutIdentifiers;
}
