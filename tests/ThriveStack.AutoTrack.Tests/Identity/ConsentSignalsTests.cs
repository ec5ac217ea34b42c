using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

public class ConsentSignalsTests
{
    [Theory]
    [InlineData(null, null, true, false, true)]
    [InlineData("1", null, true, false, false)]   // Global Privacy Control, honoured by default
    [InlineData("1", null, false, false, true)]   // ... unless switched off
    [InlineData(null, "1", true, false, true)]    // Do Not Track, not honoured by default
    [InlineData(null, "1", true, true, false)]    // ... unless switched on
    public void HasConsent_PrivacySignals(string? gpc, string? dnt, bool honorGpc, bool honorDnt, bool expected)
    {
        var http = new DefaultHttpContext();
        if (gpc is not null)
            http.Request.Headers["Sec-GPC"] = gpc;
        if (dnt is not null)
            http.Request.Headers["DNT"] = dnt;

        Assert.Equal(expected, ConsentSignals.HasConsent(http, new PrivacyOptions { HonorGlobalPrivacyControl = honorGpc, HonorDoNotTrack = honorDnt }));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void HasConsent_CookiePolicy(bool canTrack, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Features.Set<ITrackingConsentFeature>(new Consent(canTrack));

        Assert.Equal(expected, ConsentSignals.HasConsent(http, new PrivacyOptions()));
    }

    private sealed class Consent(bool canTrack) : ITrackingConsentFeature
    {
        public bool IsConsentNeeded => true;
        public bool HasConsent => canTrack;
        public bool CanTrack => canTrack;
        public void GrantConsent() { }
        public void WithdrawConsent() { }
        public string CreateConsentCookie() => "";
    }
}
