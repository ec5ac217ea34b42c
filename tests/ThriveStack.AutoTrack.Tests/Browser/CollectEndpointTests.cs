using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Tests.PageVisits;

namespace ThriveStack.AutoTrack.Tests.Browser;

/// <summary>
/// <c>POST /_thrivestack/collect</c> on TestServer: what the script sends becomes events with the server's ids, and
/// anything else is refused with a 4xx, counted by reason, never a 5xx or an exception into the app.
/// </summary>
public sealed class CollectEndpointTests
{
    private const string Path = "/_thrivestack/collect";
    private const string PageView = """{"events":[{"kind":"page_view","url":"http://localhost/app/projects?utm_source=mail&token=s3cret#/board","referrer":"http://localhost/app","title":"App · Projects"}]}""";

    [Fact]
    public async Task ScriptsPost_BecomesEventsWithTheServersIds()
    {
        await using var host = await StartAsync();
        (await host.GetAsync("/page")).Dispose(); // a first page gives the visitor cookies
        var visitor = await host.Events.WaitForEventAsync(e => e.EventName == "page_visit");

        using var response = await PostAsync(host, """{"events":[{"kind":"page_view","url":"http://localhost/app/projects?utm_source=mail&token=s3cret#/board","referrer":"http://localhost/app","title":"App · Projects"},{"kind":"feature","name":"project_created"},{"kind":"event","name":"report_shared"}]}""",
            cookies: host.Cookies);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var events = await host.Events.WaitForEventsAsync(4);
        var visit = events[1];
        Assert.Equal("page_visit", visit.EventName);
        Assert.Equal("http://localhost/app/projects?utm_source=mail&token=REDACTED#/board", visit.Property("page_url"));
        Assert.Equal("/app/projects", visit.Property("page_path"));
        Assert.Equal("http://localhost/app", visit.Property("page_referrer"));
        Assert.Equal("App · Projects", visit.Property("page_title"));
        Assert.Equal("mail", visit.Property("utm_source"));
        Assert.Equal("Chrome", visit.Property("browser"));
        Assert.Equal("project_created", events[2].Property("feature_name"));
        Assert.Equal("report_shared", events[3].EventName);
        Assert.All(events.Skip(1), e => Assert.Equal(visitor.DeviceId, e.DeviceId));
        Assert.All(events.Skip(1), e => Assert.Equal(visitor.SessionId, e.SessionId));
        Assert.All(events.Skip(1), e => Assert.Equal(visitor.UserId, e.UserId));
    }

    public static TheoryData<string, string, int> Refusals => new()
    {
        // what, reason, status
        { "origin:https://evil.example", "cross_site", 403 },
        { "site:cross-site", "cross_site", 403 },
        { "no-origin", "cross_site", 403 },
        { "method:GET", "method", 405 },
        { "body:" + new string('x', 20_000), "too_large", 413 },
        { "body:not json", "malformed", 400 },
        { "body:" + new string('[', 64) + new string(']', 64), "malformed", 400 },
        { """body:{"events":[{"kind":"page_view","url":"http://localhost/","user_id":"forged"}]}""", "malformed", 400 },
        { """body:{"events":[{"kind":"page_view","url":"http://localhost/"}],"context":{"group_id":"forged"}}""", "malformed", 400 },
        { """body:{"events":[{"kind":"page_view","url":{"href":"http://localhost/"}}]}""", "malformed", 400 },
        { """body:{"events":[{"kind":"purchase","name":"x"}]}""", "unknown_kind", 400 },
        { """body:{"events":[{"kind":"page_view"}]}""", "missing_field", 400 },
        { """body:{"events":[]}""", "malformed", 400 },
        { "body:{\"events\":[" + string.Join(",", Enumerable.Repeat("""{"kind":"feature","name":"a"}""", 21)) + "]}", "too_many", 400 },
        { "body:{\"events\":[{\"kind\":\"page_view\",\"url\":\"http://localhost/" + new string('a', 3000) + "\"}]}", "too_long", 400 },
        { """body:{"events":[{"kind":"page_view","url":"http://localhost/","title":"a\u0007b"}]}""", "control_characters", 400 },
        { """body:{"events":[{"kind":"page_view","url":"http://localhost/","title":"a\ud800b"}]}""", "malformed", 400 },
        { """body:{"events":[{"kind":"page_view","url":"https://evil.example/phish"}]}""", "invalid_url", 400 },
        { """body:{"events":[{"kind":"page_view","url":"javascript:alert(1)"}]}""", "invalid_url", 400 },
        { """body:{"events":[{"kind":"event","name":"DROP TABLE"}]}""", "invalid_name", 400 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadPost_RefusedWith4xx_CountedByReason_NothingTracked(string what, string reason, int status)
    {
        await using var host = await StartAsync();
        using var requests = Collector(host, out _);

        using var response = await SendAsync(host, what);

        Assert.Equal(status, (int)response.StatusCode);
        var counted = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(reason, counted.Tags["outcome"]);
        Assert.Single(host.LogsWithId(LogEvents.BrowserRequestRefused));
        await host.SentinelAsync();
        Assert.Single(host.Events.Events); // the sentinel alone
    }

    [Fact]
    public async Task Bot_NothingTracked_CountedAsBot()
    {
        await using var host = await StartAsync();
        using var requests = Collector(host, out _);

        using var response = await PostAsync(host, PageView, userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("bot", Assert.Single(requests.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task RateLimit_PerDevice_429WithRetryAfter()
    {
        await using var host = await StartAsync(o => o.Browser.PostsPerMinutePerDevice = 3);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await PostAsync(host, PageView, cookies: "ts_device_id=" + new string('a', 32));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.Equal("60", response.Headers.RetryAfter?.ToString());
        }
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Script_ServedWithItsHashAndCacheHeaders_RevalidatedWithoutIt()
    {
        await using var host = await StartAsync(o => o.Browser.TrackHashChanges = false);

        using var plain = await host.Client.GetAsync("/_thrivestack/autotrack.js");
        var etag = plain.Headers.ETag!.Tag.Trim('"');
        using var hashed = await host.Client.GetAsync("/_thrivestack/autotrack.js?v=" + etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/_thrivestack/autotrack.js");
        again.Headers.IfNoneMatch.ParseAdd(plain.Headers.ETag.ToString());
        using var notModified = await host.Client.SendAsync(again);

        var source = await plain.Content.ReadAsStringAsync();
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", plain.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", hashed.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Contains("\"hash\":false", source, StringComparison.Ordinal); // the options are in the script
        Assert.Contains("\"collect\":\"/_thrivestack/collect\"", source, StringComparison.Ordinal);
        Assert.DoesNotContain("eval(", source, StringComparison.Ordinal);
        Assert.True(plain.Content.Headers.ContentLength < 8 * 1024, $"{plain.Content.Headers.ContentLength} bytes");
    }

    /// <summary>
    /// 10,000 hostile posts from a fixed seed: cross-site origins, 1 MB bodies, malformed and deeply nested JSON, forged
    /// ids, unknown kinds, huge arrays, control characters, lone surrogates, among valid ones. No 5xx, no exception into
    /// the app, nothing invalid reaches the API, and every post is counted exactly once by its outcome.
    /// </summary>
    [Fact]
    public async Task Fuzz_TenThousandHostilePosts_No5xx_NothingInvalidSent_EveryOneCounted()
    {
        await using var host = await StartAsync(o =>
        {
            o.Browser.PostsPerMinutePerDevice = 1_000_000;
            o.Browser.PostsPerMinutePerAddress = 1_000_000;
            o.MaxQueueSize = 100_000;
        });
        using var requests = Collector(host, out _);
        var random = new Random(20261201);
        var statuses = new Dictionary<int, int>();
        var valid = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var (what, isValid) = Hostile(random, i);
            valid += isValid ? 1 : 0;
            using var response = await SendAsync(host, what);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
        }
        await host.SentinelAsync();
        var events = await host.Events.FlushAsync();

        Assert.DoesNotContain(statuses.Keys, s => s >= 500);
        Assert.Equal(10_000, requests.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(valid, requests.GetMeasurementSnapshot().Count(m => Equals(m.Tags["outcome"], "accepted")));
        Assert.All(host.Events.Batches, b => Assert.Empty(b.Problems)); // the recorder holds every batch to the API's contract
        Assert.DoesNotContain(events, e => e.UserId.Contains("forged", StringComparison.Ordinal) || e.GroupId?.Contains("forged", StringComparison.Ordinal) == true);
        Assert.Equal(valid + 1, events.Count); // each valid post one page view, plus the sentinel
        Assert.DoesNotContain(host.Logs.GetSnapshot(), l => l.Exception is not null);
    }

    private static (string What, bool Valid) Hostile(Random random, int i)
    {
        string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);
        return random.Next(14) switch
        {
            0 => ($"body:{{\"events\":[{{\"kind\":\"page_view\",\"url\":\"http://localhost/p{i}\",\"title\":{Json("Page " + i)}}}]}}", true),
            1 => ("origin:https://attacker" + random.Next(100) + ".example", false),
            2 => ("body:" + new string('a', 1024 * 1024), false),
            3 => ("body:" + new string('{', random.Next(1, 5000)), false),
            4 => ("body:" + new string('[', 200) + "1" + new string(']', 200), false),
            5 => ("body:{\"events\":[{\"kind\":\"page_view\",\"url\":\"http://localhost/\",\"user_id\":\"forged" + i + "\"}]}", false),
            6 => ("body:{\"events\":[{\"kind\":\"page_view\",\"url\":\"http://localhost/\",\"group_id\":\"forged\"}]}", false),
            7 => ("body:{\"events\":[{\"kind\":\"" + (char)('a' + random.Next(26)) + "view\",\"url\":\"http://localhost/\"}]}", false),
            8 => ("body:{\"events\":[" + string.Join(",", Enumerable.Repeat("{\"kind\":\"feature\",\"name\":\"x\"}", random.Next(21, 500))) + "]}", false),
            9 => ("body:{\"events\":[{\"kind\":\"page_view\",\"url\":\"http://localhost/\",\"title\":\"" + (char)random.Next(0, 32) + "\"}]}".Replace("\0", "\\u0000", StringComparison.Ordinal), false),
            10 => ("body:{\"events\":[{\"kind\":\"page_view\",\"url\":\"http://localhost/\",\"title\":\"\\udc" + random.Next(16, 99) + "\"}]}", false),
            11 => ("body:" + RandomBytes(random), false),
            12 => ("site:cross-site", false),
            _ => ("body:{\"events\":[{\"kind\":\"event\",\"name\":\"" + new string('z', random.Next(129, 400)) + "\"}]}", false),
        };
    }

    private static string RandomBytes(Random random)
    {
        var chars = new char[random.Next(1, 300)];
        for (var j = 0; j < chars.Length; j++)
            chars[j] = (char)random.Next(1, 0x2FFF);
        return new string(chars);
    }

    private static async Task<HttpResponseMessage> SendAsync(CollectHost host, string what)
    {
        var colon = what.IndexOf(':');
        var (kind, value) = colon < 0 ? (what, "") : (what[..colon], what[(colon + 1)..]);
        return kind switch
        {
            "origin" => await PostAsync(host, PageView, origin: value),
            "site" => await PostAsync(host, PageView, site: value),
            "no-origin" => await PostAsync(host, PageView, origin: null),
            "method" => await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(value), Path)),
            _ => await PostAsync(host, value),
        };
    }

    private static async Task<HttpResponseMessage> PostAsync(CollectHost host, string body, string? origin = "http://localhost", string? site = null,
        string userAgent = PageVisitHost.ChromeUserAgent, string? cookies = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.ParseAdd(userAgent);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (site is not null)
            request.Headers.Add("Sec-Fetch-Site", site);
        if (cookies is not null)
            request.Headers.Add("Cookie", cookies);
        return await host.Client.SendAsync(request);
    }

    private static MetricCollector<long> Collector(CollectHost host, out IMeterFactory meters)
    {
        meters = host.App.Services.GetRequiredService<IMeterFactory>();
        return new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.browser.requests");
    }

    private static async Task<CollectHost> StartAsync(Action<ThriveStackOptions>? configure = null)
        => new(await PageVisitHost.StartAsync(configure));

    /// <summary>The page-visit test app, with the visitor cookies its pages issued.</summary>
    private sealed class CollectHost(PageVisitHost host) : IAsyncDisposable
    {
        public Microsoft.AspNetCore.Builder.WebApplication App => host.App;
        public HttpClient Client => host.Client;
        public ThriveStack.AutoTrack.Testing.ThriveStackEventRecorder Events => host.Events;
        public Microsoft.Extensions.Logging.Testing.FakeLogCollector Logs => host.Logs;
        public string? Cookies { get; private set; }

        public async Task<HttpResponseMessage> GetAsync(string url)
        {
            var response = await host.GetAsync(url);
            Cookies = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
            return response;
        }

        public Task<ThriveStack.AutoTrack.Testing.ReceivedEvent> SentinelAsync() => host.SentinelAsync();

        public IEnumerable<Microsoft.Extensions.Logging.Testing.FakeLogRecord> LogsWithId(int id)
            => host.Logs.GetSnapshot().Where(r => r.Id.Id == id);

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
