using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Testing;

public class ThriveStackCollectorTests : CollectorTestBase
{
    private const string Valid = """[{"event_name":"report_exported","user_id":"u1","timestamp":"2024-01-15T10:30:00Z"}]""";

    [Fact]
    public async Task Post_ValidBatch_Accepted()
    {
        using var response = await Post(Valid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.StartsWith("evt_", body.GetProperty("eventId").GetString(), StringComparison.Ordinal);
        Assert.Equal("report_exported", Assert.Single(Collector.Events).EventName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Post_MissingOrWrongKey_401(string? key)
    {
        using var response = await Post(Valid, key: key, sendKey: key is not null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Collector.Events);
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("""{"event_name":"a_created","user_id":"u"}""", "must be a JSON array")]
    [InlineData("[]", "the array is empty")]
    [InlineData("""[{"user_id":"u1"}]""", "'event_name' is required")]
    [InlineData("""[{"event_name":"report_exported"}]""", "'user_id' is required")]
    [InlineData("""[{"event_name":"report_exported","user_id":""}]""", "'user_id' is empty")]
    [InlineData("""[{"event_name":"report_exported","user_id":5}]""", "'user_id' must be a string")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","context":{}}]""", "'context' is empty")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","context":null}]""", "'context' is null")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","context":{"source":"web"}}]""", "'context.source' must be")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","context":{"tenant":"x"}}]""", "unknown context field")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","timestamp":"2024-01-15 10:30"}]""", "not ISO 8601 UTC")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","timestamp":"2024-01-15T10:30:00+02:00"}]""", "not ISO 8601 UTC")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","extra":1}]""", "unknown field 'extra'")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","properties":[]}]""", "'properties' must be an object")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","properties":{"revenue":"49.99","currency":"USD"}}]""", "'revenue' must be a number")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","properties":{"feature_type":"main"}}]""", "'feature_type' must be")]
    [InlineData("""[{"event_name":"report_exported","user_id":"u","properties":{"currency":"usd"}}]""", "ISO 4217")]
    public async Task Post_ContractViolation_400WithReason(string body, string reason)
    {
        using var response = await Post(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Collector.Events);
        var batch = Assert.Single(Collector.Batches);
        Assert.Contains(batch.Problems, p => p.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_WrongContentType_400()
    {
        using var response = await Post(Valid, contentType: "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_WrongPath_404()
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(Collector.Endpoint, "/api/other"), new StringContent(Valid, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_FaultInjected_AnswersFaultWithRetryAfter()
    {
        Collector.SetFault(CollectorFault.Status(429, "2"));

        using var response = await Post(Valid);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Empty(Collector.Events);

        Collector.SetFault(null);
        using var recovered = await Post(Valid);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task WaitForEventsAsync_TooFewArrive_TimesOutSayingHowMany()
    {
        using var _ = await Post(Valid);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => Collector.WaitForEventsAsync(2, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("1 events arrived in 1 requests", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MoreThan1000Records_400AsTheApi()
    {
        var records = string.Join(",", Enumerable.Repeat("""{"event_name":"report_exported","user_id":"u1"}""", 1001));

        using var response = await Post("[" + records + "]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 1000", Assert.Single(Collector.Batches).Problems[0], StringComparison.Ordinal);
        Assert.Empty(Collector.Events);
    }

    [Fact]
    public async Task Post_MoreThan2MB_400AsTheApi()
    {
        var big = new string('x', 2_000_001);

        using var response = await Post("[{\"event_name\":\"report_exported\",\"user_id\":\"u1\",\"properties\":{\"blob\":\"" + big + "\"}}]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2 MB", Assert.Single(Collector.Batches).Problems.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptWithWarnings_AcceptsAndAnswersTheWarnings()
    {
        Collector.SetFault(CollectorFault.AcceptWithWarnings(["signed_up: user_email is missing"], "https://docs.thrivestack.ai/track"));

        using var response = await Post(Valid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("signed_up: user_email is missing", body.GetProperty("warnings")[0].GetString());
        Assert.Equal("https://docs.thrivestack.ai/track", body.GetProperty("documentation").GetString());
        Assert.Single(Collector.Events);
    }

    [Fact]
    public async Task IdentifyAndGroup_CheckedRecordedAndFaultedPerEndpoint()
    {
        const string Identify = """[{"user_id":"u1","timestamp":"2024-01-15T10:30:00Z","traits":{"email":"a@b.test"}}]""";
        const string Group = """[{"group_id":"g1","user_id":"u1","timestamp":"2024-01-15T10:30:00Z","traits":{"group_type":"Team"}}]""";
        Collector.SetFault(ThriveStackCollector.GroupPath, CollectorFault.Status(503));

        using (var ok = await Post(Identify, path: ThriveStackCollector.IdentifyPath))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var down = await Post(Group, path: ThriveStackCollector.GroupPath))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        using (var track = await Post(Valid))
            Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Collector.SetFault(ThriveStackCollector.GroupPath, null);
        using (var up = await Post(Group, path: ThriveStackCollector.GroupPath))
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        using (var noType = await Post("""[{"group_id":"g1","user_id":"u1","timestamp":"2024-01-15T10:30:00Z"}]""", path: ThriveStackCollector.GroupPath))
            Assert.Equal(HttpStatusCode.BadRequest, noType.StatusCode);
        using (var trackShape = await Post(Valid, path: ThriveStackCollector.IdentifyPath))
            Assert.Equal(HttpStatusCode.BadRequest, trackShape.StatusCode);

        Assert.Equal("a@b.test", Assert.Single(Collector.Identifies).Trait("email"));
        Assert.Equal("Team", Assert.Single(Collector.Groups).Trait("group_type"));
        Assert.Single(Collector.Events);
        Assert.Equal([503, 200, 400], Collector.GroupBatches.Select(b => b.StatusCode));
        Assert.Contains(Collector.IdentifyBatches[1].Problems, p => p.Contains("unknown field 'event_name'", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Collector.SetFault("/api/other", null));
    }

    private async Task<HttpResponseMessage> Post(string body, string? key = null, bool sendKey = true, string contentType = "application/json", string path = ThriveStackCollector.TrackPath)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Collector.Endpoint, path))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Accept.ParseAdd("*/*");
        if (sendKey)
            request.Headers.Add("x-api-key", key ?? Collector.ApiKey);
        return await client.SendAsync(request);
    }
}
