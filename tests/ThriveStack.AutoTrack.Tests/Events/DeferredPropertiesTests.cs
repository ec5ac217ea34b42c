using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Tests.Events;

/// <summary>
/// A page visit's properties held without a dictionary (<see cref="DeferredProperties"/>): the same bytes on the wire as
/// the dictionary they replace, the same bag for code that reads <see cref="ThriveStackEvent.Properties"/>, and the same
/// validation.
/// </summary>
public class DeferredPropertiesTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string Iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

    public static TheoryData<string> Cases => ["full", "bare", "no agent", "agent only", "unicode", "client hints", "unknown agent"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Written_SameBytesAsTheDictionaryTheyReplace(string name)
    {
        var deferred = Case(name);
        Assert.NotNull(deferred.Deferred);
        var written = Write(deferred); // first, while deferred

        var materialized = Case(name);
        _ = materialized.Properties; // the bag, as the dictionary path had it
        Assert.Null(materialized.Deferred);

        Assert.Equal(Write(materialized), written);
        Assert.Equal(Serialize(Case(name)), written); // and as the source-generated serializer declares it
    }

    [Fact]
    public void Properties_Read_TheBagInWireOrder_AndTheEventNoLongerDeferred()
    {
        var e = Case("full");

        var properties = e.Properties!;

        Assert.Equal(
            ["page_title", "page_url", "page_path", "page_referrer", "utm_source", "utm_medium", "utm_campaign", "browser", "browser_version", "os", "os_version", "device_type"],
            properties.Keys);
        Assert.Equal("https://www.acme.test/pricing?utm_source=news", properties["page_url"]);
        Assert.Equal("Chrome", properties["browser"]);
        Assert.Null(e.Deferred);
        Assert.Same(properties, e.Properties);
    }

    [Fact]
    public void Properties_ChangedAfterReading_Written()
    {
        var e = Case("full");

        e.WithProperty("plan", "pro");
        e.Properties!.Remove("page_referrer");

        var json = JsonDocument.Parse(Write(e)).RootElement.GetProperty("properties");
        Assert.Equal("pro", json.GetProperty("plan").GetString());
        Assert.False(json.TryGetProperty("page_referrer", out _));
        Assert.Equal("/pricing", json.GetProperty("page_path").GetString());
    }

    [Fact]
    public void Properties_Replaced_DeferredOnesGone()
    {
        var e = Case("full");

        e.Properties = new() { ["only"] = 1 };

        Assert.Null(e.Deferred);
        Assert.Equal("""{"only":1}""", JsonDocument.Parse(Write(e)).RootElement.GetProperty("properties").GetRawText());
    }

    [Fact]
    public void Validate_TooLongValue_RefusedByName_NotByValue()
    {
        var e = ThriveStackEvent.PageVisit("u1", "https://x.test/", "/", pageTitle: new string('t', EventLimits.MaxStringValueLength + 1));

        Assert.Equal("property 'page_title': string longer than the limit", EventValidator.Validate(e));
        Assert.NotNull(e.Deferred); // validating does not build the bag
    }

    [Fact]
    public void Validate_WithinLimits_Accepted_WithoutBuildingTheBag()
    {
        var e = Case("full");

        Assert.Null(EventValidator.Validate(e));
        EventValidator.ApplyDefaults(e);

        Assert.NotNull(e.Deferred);
    }

    [Fact]
    public void UserAgent_IntoDeferred_SameAsIntoADictionary()
    {
        foreach (var (agent, hints) in new[] { (Chrome, false), (Chrome, true), (Iphone, false), ("curl/8.5.0", false), ("", false) })
        {
            var request = Request(agent, hints);
            var info = Parser.Parse(agent);
            var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
            UserAgentEnrichment.AddTo(dictionary, request, info);
            var deferred = new DeferredProperties();
            UserAgentEnrichment.AddTo(deferred, request, info);

            var bag = new Dictionary<string, object?>(StringComparer.Ordinal);
            deferred.CopyTo(bag);
            Assert.Equal(dictionary, bag);
            Assert.Equal(dictionary.Count, deferred.Count);
        }
    }

    private static readonly UserAgentParser Parser = new(new UserAgentParserOptions { MatchTimeout = TimeSpan.FromSeconds(5) });

    private static ThriveStackEvent Case(string name)
    {
        var e = name switch
        {
            "bare" => ThriveStackEvent.PageVisit("u1", "https://x.test/"),
            "unicode" => ThriveStackEvent.PageVisit("u1", "https://x.test/caf%C3%A9", "/café", "https://ref.test/?q=\"quoted\"", "Crème brûlée — \"menu\" <b>&</b> \u2028"),
            _ => ThriveStackEvent.PageVisit("u1", "https://www.acme.test/pricing?utm_source=news", "/pricing", "https://www.google.com/", "Pricing",
                new UtmParameters("news", "email", "summer")),
        };
        e.Timestamp = new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);
        e.GetOrCreateContext().DeviceId = "d1";
        switch (name)
        {
            case "no agent":
                break;
            case "agent only":
                e = new ThriveStackEvent("report_exported", "u1");
                UserAgentEnrichment.AddTo(e.Deferred = new DeferredProperties(), Request(Chrome, false), Parser.Parse(Chrome));
                break;
            case "client hints":
                UserAgentEnrichment.AddTo(e.Deferred!, Request(Chrome, true), Parser.Parse(Chrome));
                break;
            case "unknown agent":
                UserAgentEnrichment.AddTo(e.Deferred!, Request("Something/1.0", false), Parser.Parse("Something/1.0"));
                break;
            default:
                UserAgentEnrichment.AddTo(e.Deferred!, Request(Chrome, false), Parser.Parse(Chrome));
                break;
        }
        return e;
    }

    /// <summary>A request with <paramref name="agent"/> and, with <paramref name="hints"/>, the two client hints AutoTrack reads.</summary>
    internal static HttpRequest Request(string agent, bool hints, string mobile = "?0", string platform = "\"macOS\"")
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.UserAgent = agent;
        if (hints)
        {
            http.Request.Headers["Sec-CH-UA-Mobile"] = mobile;
            http.Request.Headers["Sec-CH-UA-Platform"] = platform;
        }
        return http.Request;
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private static string Write(ThriveStackEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            EventWriter.Write(writer, e);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Serialize(ThriveStackEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            JsonSerializer.Serialize(writer, e, ThriveStackJsonContext.Default.ThriveStackEvent);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
