using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

public class RequestContextResolverTests
{
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
