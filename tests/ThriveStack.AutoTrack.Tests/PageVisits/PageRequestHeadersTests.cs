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
    public void Read_ConsentAndClientHints_AnyCase()
    {
        var found = PageRequestHeaders.Read(new HeaderDictionary
        {
            ["sec-gpc"] = "1",
            ["dnt"] = "1",
            ["SEC-CH-UA-MOBILE"] = "?1",
            ["sec-ch-ua-platform"] = "\"Android\"",
            ["Purpose"] = "none", // a name of the same length as Sec-GPC
            ["X-Requested-With"] = "com.example.app", // and of Sec-CH-UA-Mobile's
        });

        Assert.True(found.Signals.Read);
        Assert.True(found.Signals.GlobalPrivacyControl);
        Assert.True(found.Signals.DoNotTrack);
        Assert.Equal("?1", found.Signals.Mobile);
        Assert.Equal("\"Android\"", found.Signals.Platform);
        Assert.Equal("com.example.app", found.XRequestedWith);
        Assert.False(found.Prefetch);
    }

    /// <summary>
    /// What the pass finds answers as looking each header up does (what consent and the client hints did before the pass,
    /// and still do outside page requests): seeded random header sets, names in any case, values that are and are not "1".
    /// </summary>
    [Fact]
    public void Read_Signals_AgreeWithLookingTheHeadersUp()
    {
        var random = new Random(20261203);
        string[] names = ["Sec-GPC", "sec-gpc", "DNT", "dnt", "Sec-CH-UA-Mobile", "sec-ch-ua-mobile", "Sec-CH-UA-Platform", "SEC-CH-UA-PLATFORM", "Accept", "Purpose"];
        string?[][] values = [["1"], ["0"], ["1", "1"], [""], ["?1"], ["\"Windows\""], [" 1"], []];
        var on = 0;
        for (var i = 0; i < 2_000; i++)
        {
            var headers = new HeaderDictionary();
            for (var j = random.Next(0, 6); j > 0; j--)
                headers[names[random.Next(names.Length)]] = new Microsoft.Extensions.Primitives.StringValues(values[random.Next(values.Length)]);

            var read = PageRequestHeaders.Read(headers).Signals;
            var lookedUp = default(ThriveStack.AutoTrack.Identity.ClientSignals);

            Assert.False(lookedUp.Read);
            Assert.Equal(lookedUp.SaysGlobalPrivacyControl(headers), read.SaysGlobalPrivacyControl(headers));
            Assert.Equal(lookedUp.SaysDoNotTrack(headers), read.SaysDoNotTrack(headers));
            Assert.Equal(lookedUp.MobileOf(headers).ToString(), read.MobileOf(headers).ToString());
            Assert.Equal(lookedUp.PlatformOf(headers).ToString(), read.PlatformOf(headers).ToString());
            on += read.GlobalPrivacyControl || read.DoNotTrack ? 1 : 0;
        }
        Assert.True(on > 100, $"only {on} header sets with a signal on: the test does not exercise them");
    }

    [Fact]
    public void Read_NoHeaders_NothingFound()
    {
        var found = PageRequestHeaders.Read(new HeaderDictionary());

        Assert.Equal(0, found.SecFetchDest.Count + found.XRequestedWith.Count + found.HxRequest.Count + found.XTurboRequestId.Count);
        Assert.False(found.Prefetch);
    }
}
