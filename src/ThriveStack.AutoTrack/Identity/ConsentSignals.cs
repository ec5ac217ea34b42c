using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>Whether a request may be tracked with identifiers: ASP.NET Core's cookie consent, Global Privacy Control, Do Not Track.</summary>
internal static class ConsentSignals
{
    /// <summary>
    /// False when the cookie policy (<see cref="ITrackingConsentFeature"/>) says the visitor has not consented, when
    /// <c>Sec-GPC: 1</c> is sent (<see cref="PrivacyOptions.HonorGlobalPrivacyControl"/>), or when <c>DNT: 1</c> is sent
    /// and <see cref="PrivacyOptions.HonorDoNotTrack"/> is on.
    /// </summary>
    public static bool HasConsent(HttpContext http, PrivacyOptions privacy)
    {
        if (RequestFeatures.Consent(http) is { CanTrack: false })
            return false;
        var headers = http.Request.Headers;
        if (privacy.HonorGlobalPrivacyControl && headers["Sec-GPC"] == "1")
            return false;
        if (privacy.HonorDoNotTrack && headers["DNT"] == "1")
            return false;
        return true;
    }
}
