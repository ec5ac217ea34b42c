using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Tracking;

/// <summary>The one enricher: what it adds to events tracked during a request, and what it leaves alone.</summary>
public class RequestEnricherTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public void PageVisit_GetsIdsAndUserAgentProperties()
    {
        using var services = Services();
        var http = Request(services);
        var visit = new ThriveStackEvent(StandardEvents.PageVisit) { Properties = new() { ["page_url"] = "https://x.test/" } };

        services.GetRequiredService<RequestEnricher>().Enrich(visit, http);

        Assert.Equal("u-1", visit.UserId);
        Assert.Equal("acme", visit.Context!.GroupId);
        Assert.NotNull(visit.Context.DeviceId);
        Assert.Equal("Chrome", visit.Properties["browser"]);
        Assert.Equal("desktop", visit.Properties["device_type"]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void OtherEvent_UserAgentOnlyWithEnrichAllEvents(bool enrichAll, bool hasBrowser)
    {
        using var services = Services(o => o.UserAgents.EnrichAllEvents = enrichAll);
        var http = Request(services);
        var e = new ThriveStackEvent("report_exported");

        services.GetRequiredService<RequestEnricher>().Enrich(e, http);

        Assert.Equal("u-1", e.UserId);
        Assert.Equal(hasBrowser, e.Properties?.ContainsKey("browser") == true);
    }

    [Fact]
    public void CallersValues_Kept_AnotherUsersEventGetsNoAccount()
    {
        using var services = Services();
        var http = Request(services);
        var e = new ThriveStackEvent("signed_up", "new-user") { Properties = new() { ["browser"] = "Mine" } };

        services.GetRequiredService<RequestEnricher>().Enrich(e, http);

        Assert.Equal("new-user", e.UserId);
        Assert.Null(e.Context!.GroupId); // the account is the signed-in user's, not the new user's
        Assert.NotNull(e.Context.SessionId); // the device and session are shared
        Assert.Equal("Mine", e.Properties["browser"]);
    }

    [Fact]
    public void PageVisit_ContextAndProperties_WrittenWithoutBeingBuilt_AsTheyReadBack()
    {
        using var services = Services();
        var http = Request(services);
        var visit = ThriveStackEvent.PageVisit(null, "https://x.test/pricing", "/pricing", pageTitle: "Pricing");
        visit.Timestamp = new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);

        services.GetRequiredService<RequestEnricher>().Enrich(visit, http);
        Assert.NotNull(visit.DeferredContext); // nothing made for the request's own ids
        Assert.NotNull(visit.Deferred);
        var deferred = Write(visit);

        Assert.Equal("acme", visit.Context!.GroupId); // read: made from the request's ids
        Assert.Equal("Chrome", visit.Properties!["browser"]);
        Assert.Null(visit.DeferredContext);
        Assert.Equal(Write(visit), deferred);
        Assert.Contains("\"context\":{\"group_id\":\"acme\",\"device_id\":", deferred, StringComparison.Ordinal);
        Assert.Null(EventValidator.Validate(visit));
    }

    [Fact]
    public void ContextReplaced_AfterEnriching_DeferredIdsGone()
    {
        using var services = Services();
        var http = Request(services);
        var e = new ThriveStackEvent("report_exported");
        services.GetRequiredService<RequestEnricher>().Enrich(e, http);

        e.Context = new EventContext { Source = "marketing" };

        Assert.Null(e.DeferredContext);
        Assert.Contains("\"context\":{\"source\":\"marketing\"}", Write(e), StringComparison.Ordinal);
    }

    private static string Write(ThriveStackEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            EventWriter.Write(writer, e);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void UserAgent_ParsedOncePerRequest()
    {
        using var services = Services(o => o.UserAgents.EnrichAllEvents = true);
        var http = Request(services);
        var enricher = services.GetRequiredService<RequestEnricher>();

        enricher.Enrich(new ThriveStackEvent("report_exported"), http);
        var parsed = RequestContextResolver.GetFeature(http).UserAgent;
        enricher.Enrich(new ThriveStackEvent("report_shared"), http);

        Assert.NotNull(parsed);
        Assert.Same(parsed, RequestContextResolver.GetFeature(http).UserAgent);
    }

    private static DefaultHttpContext Request(IServiceProvider services)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Headers.UserAgent = Chrome;
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "u-1"), new Claim("group_id", "acme")], "test"));
        return http;
    }

    private static ServiceProvider Services(Action<ThriveStackOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddThriveStack(o =>
        {
            o.ApiKey = "test";
            o.UserAgents.MatchTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }
}
