using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>The sample app in memory, its events captured by the testing kit, its clock fake.</summary>
public sealed partial class SampleAppFactory : WebApplicationFactory<Program>
{
    public const string ChromeUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary>The sample in memory (TestServer), or, with <paramref name="kestrel"/>, on a real loopback port for a browser.</summary>
    public SampleAppFactory(bool kestrel = false, Action<ThriveStackOptions>? configure = null)
    {
        _configure = configure;
        if (kestrel)
            UseKestrel(0);
    }

    private readonly Action<ThriveStackOptions>? _configure;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public ThriveStackEventRecorder Events => Services.GetRequiredService<ThriveStackEventRecorder>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ThriveStack:ApiKey", "integration-tests"); // no dev collector: the recorder takes the events
        builder.ConfigureLogging(logging => logging.AddFakeLogging());
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddThriveStackTesting();
            // appsettings.Development.json tracks bots so that a curl shows up on the events page; the tests check the default.
            services.PostConfigure<ThriveStackOptions>(o =>
            {
                o.UserAgents.TrackBots = false;
                o.UserAgents.MatchTimeout = TimeSpan.FromSeconds(5); // correctness, not speed, on a loaded CI machine
                _configure?.Invoke(o);
            });
        });
    }

    /// <summary>A client that keeps cookies and does not follow redirects, like a browser tab we can inspect.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A top-level navigation as Chrome sends it.</summary>
    public static HttpRequestMessage Navigate(string url, string? referrer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
        request.Headers.UserAgent.ParseAdd(ChromeUserAgent);
        request.Headers.Add("Sec-Fetch-Dest", "document");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        if (referrer is not null)
            request.Headers.Referrer = new Uri(referrer);
        return request;
    }

    /// <summary>Signs in one of the demo users through the real login form (antiforgery included).</summary>
    public static async Task SignInAsync(HttpClient browser, string userId)
    {
        using var page = await browser.SendAsync(Navigate("/account/login"));
        var token = AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = userId, ["__RequestVerificationToken"] = token });
        using var response = await browser.PostAsync("/account/login", form);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
    }

    public static string AntiforgeryToken(string html)
        => TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token in the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static MediaTypeWithQualityHeaderValue Html { get; } = new("text/html");
}
