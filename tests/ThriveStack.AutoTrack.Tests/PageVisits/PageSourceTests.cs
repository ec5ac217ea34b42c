using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

/// <summary>
/// A page visit's URL fields are taken from the request as its parts (<see cref="PageSource"/>) and worked out when the
/// event is written or read, off the request path: the fields are those of the request as it was, whatever becomes of
/// the request object afterwards, and an event is still refused when a field would break the limits.
/// </summary>
public class PageSourceTests
{
    public static TheoryData<string, string[], string, string, string, string?, string?> Requests => new()
    {
        // name, request (its URL, a '|' after the path base, then headers), kind (PageRequestKind), page_url, page_path, page_referrer, utm_source
        { "document with UTM", ["https://www.acme.test/pricing?utm_source=news&utm_medium=email", "Referer: https://www.google.com/"], "Document",
            "https://www.acme.test/pricing?utm_source=news&utm_medium=email", "/pricing", "https://www.google.com/", "news" },
        { "secret in the query and the referrer", ["https://www.acme.test/reset?token=abc&x=1", "Referer: https://mail.acme.test/open?password=hunter2"], "Document",
            "https://www.acme.test/reset?token=REDACTED&x=1", "/reset", "https://mail.acme.test/open?password=REDACTED", null },
        { "mounted under a path base", ["https://www.acme.test/shop|/cart"], "Document",
            "https://www.acme.test/shop/cart", "/shop/cart", null, null },
        { "not an http referrer", ["https://www.acme.test/", "Referer: android-app://com.example/"], "Document",
            "https://www.acme.test/", "/", null, null },
        { "htmx navigation: the page it came from", ["https://www.acme.test/b", "HX-Current-URL: https://www.acme.test/a", "Referer: https://www.acme.test/"], "HtmxBoosted",
            "https://www.acme.test/b", "/b", "https://www.acme.test/a", null },
        { "blazor enhanced navigation: the referrer is the page itself", ["https://www.acme.test/b", "Referer: https://www.acme.test/b"], "BlazorEnhanced",
            "https://www.acme.test/b", "/b", null, null },
        { "blazor enhanced navigation from elsewhere", ["https://www.acme.test/b", "Referer: https://www.bing.com/"], "BlazorEnhanced",
            "https://www.acme.test/b", "/b", "https://www.bing.com/", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Resolve_TheFieldsOfTheRequest(string name, string[] request, string kind, string url, string path, string? referrer, string? utmSource)
    {
        var source = new PageSource(Request(request), Enum.Parse<PageRequestKind>(kind), new PrivacyOptions(), 2048);

        source.Resolve(out var pageUrl, out var pagePath, out var pageReferrer, out var utm);

        var expected = (url, path, referrer, utmSource);
        var actual = (pageUrl, pagePath, pageReferrer, utm?.Source);
        Assert.True(expected == actual, $"{name}: expected {expected}, got {actual}");
    }

    [Fact]
    public void Resolve_AfterTheRequestObjectChanged_TheRequestAsItWas()
    {
        var http = new DefaultHttpContext();
        var request = Request(["https://www.acme.test/pricing?utm_source=news", "Referer: https://www.google.com/"], http);
        var visit = ThriveStackEvent.PageVisit("u1", new PageSource(request, PageRequestKind.Document, new PrivacyOptions(), 2048), "Pricing");

        // The server reuses its request objects: the next request on the connection, or a cleared one.
        request.Path = "/other";
        request.QueryString = new QueryString("?utm_source=other");
        request.Host = new HostString("elsewhere.test");
        request.Headers.Referer = "https://elsewhere.test/";
        http.Uninitialize();

        var properties = visit.Properties!;
        Assert.Equal("https://www.acme.test/pricing?utm_source=news", properties["page_url"]);
        Assert.Equal("/pricing", properties["page_path"]);
        Assert.Equal("https://www.google.com/", properties["page_referrer"]);
        Assert.Equal("news", properties["utm_source"]);
        Assert.Equal("Pricing", properties["page_title"]);
    }

    [Fact]
    public void Written_SameBytesAsTheFieldsWorkedOutFirst()
    {
        var parts = new[] { "https://www.acme.test/pricing?utm_source=news&utm_campaign=spring&token=x", "Referer: https://www.google.com/" };
        var deferred = ThriveStackEvent.PageVisit("u1", new PageSource(Request(parts), PageRequestKind.Document, new PrivacyOptions(), 2048), "Pricing");
        new PageSource(Request(parts), PageRequestKind.Document, new PrivacyOptions(), 2048).Resolve(out var url, out var path, out var referrer, out var utm);
        var eager = ThriveStackEvent.PageVisit("u1", url, path, referrer, "Pricing", utm);
        eager.Timestamp = deferred.Timestamp = DateTimeOffset.UnixEpoch;

        Assert.Equal(Write(eager), Write(deferred));
        Assert.Contains("\"page_url\":\"https://www.acme.test/pricing?utm_source=news\\u0026utm_campaign=spring\\u0026token=REDACTED\"", Write(deferred), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BoundedFields_Accepted()
    {
        var longPath = "https://www.acme.test/" + new string('p', 3 * EventLimits.MaxStringValueLength);
        var visit = ThriveStackEvent.PageVisit("u1", new PageSource(Request([longPath]), PageRequestKind.Document, new PrivacyOptions(), 2048), null);

        Assert.Null(EventValidator.Validate(visit)); // the URL is cut to 2,048 characters and the path to 1,024
        Assert.Equal(2048, ((string)visit.Properties!["page_url"]!).Length);
        Assert.Equal(PageUrl.MaxPathLength, ((string)visit.Properties!["page_path"]!).Length);
    }

    [Fact]
    public void Validate_MaxUrlLengthAboveTheLimit_TheLongUrlRefusedAsBefore()
    {
        var longUrl = "https://www.acme.test/" + new string('p', EventLimits.MaxStringValueLength);
        var visit = ThriveStackEvent.PageVisit("u1", new PageSource(Request([longUrl]), PageRequestKind.Document, new PrivacyOptions(), 4 * EventLimits.MaxStringValueLength), null);

        Assert.Equal("property 'page_url': string longer than the limit", EventValidator.Validate(visit));
    }

    private static HttpRequest Request(string[] parts, DefaultHttpContext? http = null)
    {
        var request = (http ?? new DefaultHttpContext()).Request;
        var uri = new Uri(parts[0].Replace("|", "", StringComparison.Ordinal));
        request.Scheme = uri.Scheme;
        request.Host = new HostString(uri.Authority);
        var pipe = parts[0].IndexOf('|', StringComparison.Ordinal);
        if (pipe >= 0)
        {
            var pathBase = new Uri(parts[0][..pipe]).AbsolutePath;
            request.PathBase = pathBase;
            request.Path = uri.AbsolutePath[pathBase.Length..];
        }
        else
        {
            request.Path = uri.AbsolutePath;
        }
        request.QueryString = new QueryString(uri.Query.Length > 0 ? uri.Query : null);
        foreach (var header in parts.Skip(1))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers[header[..colon]] = header[(colon + 1)..].Trim();
        }
        return request;
    }

    private static string Write(ThriveStackEvent e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            EventWriter.Write(writer, e);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
