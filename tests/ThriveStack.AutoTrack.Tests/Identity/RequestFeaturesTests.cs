using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NSubstitute;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

public class RequestFeaturesTests
{
    [Fact]
    public void Endpoint_IsWhatGetEndpointReturns()
    {
        var http = new DefaultHttpContext();
        Assert.Null(RequestFeatures.Endpoint(http));

        var endpoint = new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "page");
        http.SetEndpoint(endpoint);

        Assert.Same(endpoint, RequestFeatures.Endpoint(http));
        Assert.Same(http.GetEndpoint(), RequestFeatures.Endpoint(http));
    }

    [Fact]
    public void User_NullUntilSomethingSetsOne_AndNoneIsMadeByAsking()
    {
        var http = new DefaultHttpContext();

        Assert.Null(RequestFeatures.User(http));
        Assert.Null(http.Features.Get<Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature>());

        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u-1")], "test"));
        http.User = user;
        Assert.Same(user, RequestFeatures.User(http));
    }

    [Fact]
    public void Tracking_AbsentThenWhatWasSet()
    {
        var http = new DefaultHttpContext();
        Assert.Null(RequestFeatures.Tracking(http));

        var feature = new ThriveStackRequestFeature();
        RequestFeatures.SetTracking(http, feature);

        Assert.Same(feature, RequestFeatures.Tracking(http));
        Assert.Same(feature, http.Features.Get<ThriveStackRequestFeature>());
        Assert.Same(feature, RequestContextResolver.GetFeature(http));
    }

    [Fact]
    public void Consent_TheCookiePolicysFeatureWhenThereIsOne()
    {
        var http = new DefaultHttpContext();
        Assert.Null(RequestFeatures.Consent(http));

        var consent = Substitute.For<ITrackingConsentFeature>();
        http.Features.Set(consent);

        Assert.Same(consent, RequestFeatures.Consent(http));
    }

    [Fact]
    public void ResponseCookies_AbsentUntilMade()
    {
        var http = new DefaultHttpContext();
        Assert.Null(RequestFeatures.ResponseCookies(http));

        _ = http.Response.Cookies; // makes ASP.NET Core's own

        Assert.IsType<ResponseCookiesFeature>(RequestFeatures.ResponseCookies(http));
    }

    [Fact]
    public void ResponseBody_ReplacedAndPutBack()
    {
        var http = new DefaultHttpContext();
        var original = RequestFeatures.ResponseBody(http);
        Assert.NotNull(original);
        Assert.Same(http.Features.Get<IHttpResponseBodyFeature>(), original);

        var replacement = Substitute.For<IHttpResponseBodyFeature>();
        RequestFeatures.SetResponseBody(http, replacement);
        Assert.Same(replacement, http.Features.Get<IHttpResponseBodyFeature>());

        RequestFeatures.SetResponseBody(http, original);
        Assert.Same(original, RequestFeatures.ResponseBody(http));
    }
}
