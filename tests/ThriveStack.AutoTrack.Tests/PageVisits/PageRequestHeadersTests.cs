using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>The headers that decide whether a request may be a page view, found in one pass whatever their case.</summary>
public class PageRequestHeadersTests
{
    [Theory]
    [InlineData("Sec-Purpose", "prefetch;prerender")]
    [InlineData("sec-purpose", "prefetch")]
    [InlineData("X-SEC-PURPOSE", "Prefetch")]
    [InlineData("purpose", "prefetch")]
    [InlineData("x-moz", "prefetch")]
    [InlineData("X-Purpose", "preview, prefetch")]
    public void Prefetch_AnyOfItsHeaders_AnyCase(string name, string value)
        => Assert.True(PageRequestHeaders.Read(new HeaderDictionary { [name] = value }).Prefetch);

    [Theory]
    [InlineData("Sec-Purpose", "anonymous-client-ip")]
    [InlineData("X-Purposes", "prefetch")] // not one of the names
    [InlineData("Sec-Fetch-Dest", "document")]
    public void Prefetch_OtherwiseNot(string name, string value)
        => Assert.False(PageRequestHeaders.Read(new HeaderDictionary { [name] = value }).Prefetch);

    [Fact]
    public void Read_EachHeaderOfInterest_AsSent_AnyCase()
    {
        var headers = new HeaderDictionary
        {
            ["accept"] = "text/html",
            ["sec-fetch-dest"] = "empty",
            ["x-requested-with"] = "XMLHttpRequest",
            ["hx-request"] = "true",
            ["HX-BOOSTED"] = "true",
            ["hx-history-restore-request"] = "true",
            ["x-turbo-request-id"] = "5c1f",
            ["turbo-frame"] = "comments",
            ["sec-ch-ua-mobile"] = "?0",
        };

        var found = PageRequestHeaders.Read(headers);

        Assert.Equal("empty", found.SecFetchDest);
        Assert.Equal("XMLHttpRequest", found.XRequestedWith);
        Assert.Equal("true", found.HxRequest);
        Assert.Equal("true", found.HxBoosted);
        Assert.Equal("true", found.HxHistoryRestoreRequest);
        Assert.Equal("5c1f", found.XTurboRequestId);
        Assert.Equal("comments", found.TurboFrame);
        Assert.False(found.Prefetch);
    }

    [Fact]
    public void Read_NoHeaders_NothingFound()
    {
        var found = PageRequestHeaders.Read(new HeaderDictionary());

        Assert.Equal(0, found.SecFetchDest.Count + found.XRequestedWith.Count + found.HxRequest.Count + found.XTurboRequestId.Count);
        Assert.False(found.Prefetch);
    }
}
