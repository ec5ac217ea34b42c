using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

public class RequestContextResolverTests
{
    [Theory]
    [InlineData("ts_device_id=abc", "abc")]
    [InlineData("a=1; ts_device_id=abc; b=2", "abc")]
    [InlineData("a=1;ts_device_id=\"abc\"", "abc")]
    [InlineData("xts_device_id=no; ts_device_id_x=no", null)]
    [InlineData("ts_device_id=first; ts_device_id=second", "first")]
    [InlineData("  ts_device_id =  spaced  ", "spaced")]
    [InlineData("=; ;;ts_device_id", null)]
    [InlineData("", null)]
    public void RequestCookie_FindsOnlyTheExactName(string header, string? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = header;

        Assert.Equal(expected, RequestContextResolver.RequestCookie(http.Request, "ts_device_id"));
    }

    [Fact]
    public void RequestCookie_SeveralCookieHeaders_AllSearched()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = new Microsoft.Extensions.Primitives.StringValues(["a=1", "ts_device_id=abc"]);

        Assert.Equal("abc", RequestContextResolver.RequestCookie(http.Request, "ts_device_id"));
    }

    [Fact]
    public void Get_NoUserSet_AnonymousWithoutCreatingAPrincipal()
    {
        using var services = Services();
        var http = new DefaultHttpContext { RequestServices = services };

        var context = services.GetRequiredService<RequestContextResolver>().Get(http);

        Assert.False(context.IsAuthenticated);
        Assert.Null(http.Features.Get<IHttpAuthenticationFeature>()); // HttpContext.User was never read
    }

    [Fact]
    public void Get_UserSet_ResolvesItsId()
    {
        using var services = Services();
        var http = new DefaultHttpContext { RequestServices = services };
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u-42")], "test"));

        var context = services.GetRequiredService<RequestContextResolver>().Get(http);

        Assert.True(context.IsAuthenticated);
        Assert.Equal("u-42", context.UserId);
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddThriveStack(o => o.ApiKey = "test");
        return services.BuildServiceProvider();
    }
}
