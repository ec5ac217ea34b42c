using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

public class VisitorIdentityTests
{
    private readonly FakeLogger _logger = new();

    [Fact]
    public void UserAndGroup_FromTheSignedInPrincipal()
    {
        var http = SignedIn(new Claim(ClaimTypes.NameIdentifier, "u-1"), new Claim("group_id", "acme"));
        var identity = new VisitorIdentity(new FakeTimeProvider(), _logger);

        Assert.Equal("u-1", identity.UserId(http, new VisitorIdentityOptions(), http.User));
        Assert.Equal("acme", identity.GroupId(http, new VisitorIdentityOptions(), http.User));
    }

    [Fact]
    public void User_SubWhenNoNameIdentifier()
    {
        var http = SignedIn(new Claim("sub", "s-1"));
        Assert.Equal("s-1", new VisitorIdentity(new FakeTimeProvider(), _logger).UserId(http, new VisitorIdentityOptions(), VisitorIdentity.CurrentUser(http)));
    }

    [Fact]
    public void Resolver_Throws_UnknownAndLoggedOnce()
    {
        var identity = new VisitorIdentity(new FakeTimeProvider(), _logger);
        var options = new VisitorIdentityOptions { UserIdResolver = _ => throw new InvalidOperationException("boom") };

        Assert.Null(identity.UserId(new DefaultHttpContext(), options, user: null));
        Assert.Null(identity.UserId(new DefaultHttpContext(), options, user: null));

        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.ResolverFailed);
    }

    [Fact]
    public void CurrentUser_WhatAuthenticationSet_ElseNullWithoutMakingOne()
    {
        var http = new DefaultHttpContext();
        Assert.Null(VisitorIdentity.CurrentUser(http));

        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "s-1")], "test"));
        http.User = user;
        Assert.Same(user, VisitorIdentity.CurrentUser(http));
    }

    [Theory]
    [InlineData("/pricing", false, "marketing")]
    [InlineData("/app", false, "product")]
    [InlineData("/somewhere", true, "product")]
    [InlineData("/somewhere", false, "marketing")]
    public void Source_FromPrefixesThenSignIn(string path, bool signedIn, string expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        var options = new VisitorIdentityOptions { MarketingPathPrefixes = ["/pricing"], ProductPathPrefixes = ["/app"] };

        Assert.Equal(expected, VisitorIdentity.Source(http, options, endpoint: null, signedIn));
    }

    private static DefaultHttpContext SignedIn(params Claim[] claims)
        => new() { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test")) };
}
