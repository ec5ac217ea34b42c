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
    /// <param name="http">The request.</param>
    /// <param name="privacy">Which signals are honoured.</param>
    /// <param name="signals">The headers as the page-visit middleware read them, when it did; else they are looked up.</param>
    public static bool HasConsent(HttpContext http, PrivacyOptions privacy, in ClientSignals signals = default)
    {
        if (RequestFeatures.Consent(http) is { CanTrack: false })
            return false;
        var headers = http.Request.Headers;
        if (privacy.HonorGlobalPrivacyControl && signals.SaysGlobalPrivacyControl(headers))
            return false;
        if (privacy.HonorDoNotTrack && signals.SaysDoNotTrack(headers))
            return false;
        return true;
    }
}
