using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>
/// Pages the server renders for in-app navigations (Blazor enhanced navigation, htmx boosted, Turbo Drive) are page
/// views; those libraries' fragments and prefetches, plain fetch() and XHR are not. Headers as the libraries send them.
/// </summary>
public class InAppNavigationTests
{
    public static TheoryData<string, string, string[], bool> Requests => new()
    {
        // name, method, headers (name: value), a page view?
        { "blazor enhanced navigation", "GET", ["Accept: text/html; blazor-enhanced-nav=on", "Sec-Fetch-Dest: empty", "Sec-Fetch-Mode: cors"], true },
        { "blazor enhanced form post", "POST", ["Accept: text/html; blazor-enhanced-nav=on", "Sec-Fetch-Dest: empty"], true },
        { "htmx boosted link", "GET", ["HX-Request: true", "HX-Boosted: true", "Accept: */*", "Sec-Fetch-Dest: empty"], true },
        { "htmx boosted form", "POST", ["HX-Request: true", "HX-Boosted: true", "Sec-Fetch-Dest: empty"], true },
        { "htmx history restore", "GET", ["HX-Request: true", "HX-History-Restore-Request: true", "Sec-Fetch-Dest: empty"], true },
        { "htmx partial", "GET", ["HX-Request: true", "HX-Target: results", "Sec-Fetch-Dest: empty"], false },
        { "turbo drive visit", "GET", ["X-Turbo-Request-Id: 5c1f", "Accept: text/html, application/xhtml+xml", "Sec-Fetch-Dest: empty"], true },
        { "turbo frame", "GET", ["X-Turbo-Request-Id: 5c1f", "Turbo-Frame: comments", "Accept: text/html, application/xhtml+xml", "Sec-Fetch-Dest: empty"], false },
        { "turbo hover prefetch", "GET", ["X-Turbo-Request-Id: 5c1f", "X-Sec-Purpose: prefetch", "Accept: text/html, application/xhtml+xml", "Sec-Fetch-Dest: empty"], false },
        { "turbo form post", "POST", ["X-Turbo-Request-Id: 5c1f", "Accept: text/vnd.turbo-stream.html, text/html, application/xhtml+xml"], false },
        { "blazor enhanced prefetch", "GET", ["Accept: text/html; blazor-enhanced-nav=on", "Sec-Purpose: prefetch"], false },
        { "plain fetch()", "GET", ["Accept: text/html", "Sec-Fetch-Dest: empty"], false },
        { "xhr", "GET", ["Accept: text/html", "X-Requested-With: XMLHttpRequest"], false },
        { "plain form post", "POST", ["Accept: text/html", "Sec-Fetch-Dest: document"], false },
        { "document load", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document"], true },
        // A browser's own prefetches are document requests too.
        { "chromium speculation-rules prefetch", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "Sec-Fetch-Mode: navigate", "Sec-Purpose: prefetch"], false },
        { "chromium prerender", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "Sec-Purpose: prefetch;prerender"], false },
        { "safari prefetch", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "Purpose: prefetch"], false },
        { "firefox prefetch", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "X-Moz: prefetch"], false },
        { "old chromium prefetch", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "X-Purpose: preview, prefetch"], false },
        { "document load, said to be XHR", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "X-Requested-With: XMLHttpRequest"], false },
        { "document load, upper case", "GET", ["Accept: text/html", "Sec-Fetch-Dest: Document"], true },
        { "document load, android webview", "GET", ["Accept: text/html", "Sec-Fetch-Dest: document", "X-Requested-With: com.example.shop"], true },
        { "document load, android webview, no fetch metadata", "GET", ["Accept: text/html", "X-Requested-With: com.example.shop"], true },
        { "xhr, lower case", "GET", ["Accept: text/html", "X-Requested-With: xmlhttprequest"], false },
        { "iframe", "GET", ["Accept: text/html", "Sec-Fetch-Dest: iframe"], false },
        { "image", "GET", ["Accept: image/avif,image/webp,*/*", "Sec-Fetch-Dest: image"], false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Request_IsAPageViewOnlyWhenItShowsAPage(string name, string method, string[] headers, bool pageView)
    {
        await using var host = await PageVisitHost.StartAsync(endpoints: Form);

        using var request = Build(method, "/form", headers);
        (await host.Client.SendAsync(request)).Dispose();

        var sentinel = await host.SentinelAsync();
        var visits = host.Events.Events.Where(e => e != sentinel && e.EventName == "page_visit").ToList();
        Assert.True(visits.Count == (pageView ? 1 : 0), $"{name}: {visits.Count} page visits");
    }

    [Fact]
    public async Task TrackInAppNavigationsOff_OnlyDocumentLoadsCount()
    {
        await using var host = await PageVisitHost.StartAsync(o => o.PageVisits.TrackInAppNavigations = false, endpoints: Form);

        foreach (var (method, headers) in Requests.Where(r => (bool)r[3] && !((string)r[0]).StartsWith("document load", StringComparison.Ordinal)).Select(r => ((string)r[1], (string[])r[2])))
        {
            using var request = Build(method, "/form", headers);
            (await host.Client.SendAsync(request)).Dispose();
        }

        var sentinel = await host.SentinelAsync();
        Assert.DoesNotContain(host.Events.Events, e => e != sentinel && e.EventName == "page_visit");
    }

    [Fact]
    public async Task Referrer_HtmxNamesThePageItCameFrom_BlazorsOwnAddressIsNone()
    {
        await using var host = await PageVisitHost.StartAsync();

        using (var htmx = Build("GET", "/page?n=1", ["HX-Request: true", "HX-Boosted: true", "HX-Current-URL: http://localhost/?from=nav", "Referer: http://localhost/"]))
            (await host.Client.SendAsync(htmx)).Dispose();
        using (var blazor = Build("GET", "/page?n=2", ["Accept: text/html; blazor-enhanced-nav=on", "Referer: http://localhost/page?n=2"]))
            (await host.Client.SendAsync(blazor)).Dispose();
        using (var blazorPopState = Build("GET", "/page?n=3", ["Accept: text/html; blazor-enhanced-nav=on", "Referer: http://localhost/"]))
            (await host.Client.SendAsync(blazorPopState)).Dispose();

        var visits = (await host.Events.WaitForEventsAsync(3)).ToDictionary(e => e.Property("page_url")!, e => e.Property("page_referrer"));
        Assert.Equal("http://localhost/?from=nav", visits["http://localhost/page?n=1"]);
        Assert.Null(visits["http://localhost/page?n=2"]);
        Assert.Equal("http://localhost/", visits["http://localhost/page?n=3"]);
    }

    [Theory]
    [InlineData("<html><head><title>Insights · Usage</title></head>", "Insights · Usage")]
    [InlineData("<HTML><HEAD><TITLE lang=\"en\">\n  Q&amp;A   &#8212; Help\n</TITLE>", "Q&A — Help")]
    [InlineData("<head><title></title></head>", null)]
    [InlineData("<head><meta charset=utf-8></head><body><h1>No title</h1>", null)]
    [InlineData("<head><title>Cut", null)]
    public void TitleParse_FirstTitleDecodedAndTrimmed(string html, string? expected)
        => Assert.Equal(expected, TitleCapture.Parse(Encoding.UTF8.GetBytes(html)));

    private static void Form(WebApplication app)
    {
        app.MapGet("/form", () => Results.Content("<h1>form</h1>", "text/html"));
        app.MapPost("/form", () => Results.Content("<h1>form, again</h1>", "text/html")).DisableAntiforgery();
    }

    private static HttpRequestMessage Build(string method, string url, string[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.UserAgent.ParseAdd(PageVisitHost.ChromeUserAgent);
        if (method == "POST")
            request.Content = new FormUrlEncodedContent([]);
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':');
            request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
        }
        return request;
    }
}
