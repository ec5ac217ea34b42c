using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>
/// 10,000 requests with random and hostile paths, query strings, referrers, cookies and user agents (fixed seed, so a
/// failure reproduces). No exception from tracking may reach the app, and every event must be valid and within bounds.
/// </summary>
public class PageVisitFuzzTests : IAsyncLifetime
{
    private const int Seed = 20261128;
    private const int Requests = 10_000;
    private readonly SampleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task HostileRequests_NeverBreakTheAppAndEveryEventIsValidAndBounded()
    {
        var random = new Random(Seed);
        using var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var dropped = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), "ThriveStack.AutoTrack", "thrivestack.events.dropped");
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < Requests; i++)
        {
            using var request = Build(random);
            using var response = await client.SendAsync(request);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"request {i} ({request.RequestUri}) failed with {(int)response.StatusCode}");
        }

        var events = await _app.Events.FlushAsync();
        Assert.True(events.Count > 1000, $"only {events.Count} page visits from {Requests} requests: {string.Join(", ", statuses)}");
        Assert.All(_app.Events.Batches, b => Assert.Empty(b.Problems));
        foreach (var e in events)
        {
            Assert.Empty(TrackContract.ValidateEvent(e.Json));
            Assert.InRange(e.Json.GetRawText().Length, 1, 64 * 1024);
            Assert.InRange(e.Property("page_url")!.Length, 1, 2048);
            Assert.InRange(e.Property("page_path")!.Length, 1, 1024);
            Assert.InRange(e.Property("page_referrer")?.Length ?? 0, 0, 2048);
            foreach (var utm in new[] { "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "page_title" })
                Assert.InRange(e.Property(utm)?.Length ?? 0, 0, 256);
            Assert.Matches("^[0-9a-f]{32}$", e.DeviceId);
            Assert.Matches("^[0-9a-f]{32}$", e.SessionId);
        }
        Assert.DoesNotContain(dropped.GetMeasurementSnapshot(), m => Equals(m.Tags["reason"], "error") || Equals(m.Tags["reason"], "invalid"));
        Assert.DoesNotContain(_app.Logs.GetSnapshot(), r => r.Category?.StartsWith("ThriveStack", StringComparison.Ordinal) == true && r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    private static HttpRequestMessage Build(Random random)
    {
        var path = random.Next(3) switch
        {
            0 => "/",
            1 => "/pricing",
            _ => "/" + Noise(random, random.Next(0, 40), pathSafe: true),
        };
        var query = random.Next(4) == 0 ? "" : "?" + Query(random);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://localhost" + path + query, UriKind.Absolute));
        request.Headers.TryAddWithoutValidation("Accept", random.Next(5) == 0 ? Noise(random, 30) : "text/html,*/*;q=0.8");
        request.Headers.TryAddWithoutValidation("User-Agent", random.Next(4) == 0 ? Noise(random, random.Next(0, 3000)) : SampleAppFactory.ChromeUserAgent);
        if (random.Next(2) == 0)
            request.Headers.TryAddWithoutValidation("Referer", Referrer(random));
        if (random.Next(2) == 0)
            request.Headers.TryAddWithoutValidation("Cookie", Cookies(random));
        return request;
    }

    private static string Query(Random random)
    {
        var parts = new List<string>();
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            var name = random.Next(3) switch
            {
                0 => "utm_" + Pick(random, "source", "medium", "campaign", "term", "content", "SOURCE"),
                1 => Pick(random, "token", "password", "email", "code", "q", "page", "%zz", "%", "a%2", "+", "=", "&"),
                _ => Noise(random, random.Next(0, 10), pathSafe: true),
            };
            var value = random.Next(10) switch
            {
                0 => new string('x', random.Next(1000, 20000)),
                1 => "%" + Noise(random, 2, pathSafe: true) + "%E0%A4%A",
                2 => "%FF%FE%00%01%7F",
                3 => Uri.EscapeDataString("\u0001\u001f\u007f\ud800x"),
                _ => Noise(random, random.Next(0, 20), pathSafe: true),
            };
            parts.Add(random.Next(8) == 0 ? name : name + "=" + value);
            if (random.Next(6) == 0)
                parts.Add(parts[^1]); // repeated key
        }
        return string.Join("&", parts);
    }

    private static string Referrer(Random random) => random.Next(5) switch
    {
        0 => "https://google.com/search?q=" + Noise(random, 20, pathSafe: true) + "&token=" + Noise(random, 8, pathSafe: true),
        1 => Noise(random, random.Next(0, 200)),
        2 => "javascript:alert(1)",
        3 => "https://user:pass@evil.example/" + new string('a', random.Next(0, 12000)),
        _ => "http://localhost/" + Noise(random, 30, pathSafe: true),
    };

    private static string Cookies(Random random) => random.Next(4) switch
    {
        0 => "ts_device_id=" + Noise(random, random.Next(0, 100), pathSafe: true),
        1 => "ts_session_id=" + new string('f', 32) + "." + Pick(random, "99999999999999999999", "-1", "abc", "", "1"),
        2 => "ts_device_id=" + new string('A', 32) + "; ts_session_id=" + new string('0', 4000),
        _ => "ts_device_id=" + Guid.NewGuid().ToString("N") + "; ts_session_id=" + Guid.NewGuid().ToString("N") + "." + DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };

    private static string Noise(Random random, int length, bool pathSafe = false)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var c = (char)random.Next(1, 0x2FF);
            if (pathSafe)
                c = "abcdefghijklmnopqrstuvwxyz0123456789-._~%!$'()*,;:@é"[random.Next(52)];
            else if (c is '\r' or '\n' or '\0')
                c = ' ';
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
