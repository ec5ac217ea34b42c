using System.Net;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

public class PageVisitTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task BrowserVisit_WithUtmAndReferrer_EmitsOneCompletePageVisit()
    {
        using var browser = _app.CreateBrowser();
        const string query = "?utm_source=newsletter&utm_medium=email&utm_campaign=summer_promotion&utm_term=analytics&utm_content=hero";

        using var response = await browser.SendAsync(SampleAppFactory.Navigate("/pricing" + query, "https://google.com/search?q=acme"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var visit = await _app.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Single(_app.Events.Events);
        Assert.Equal("http://localhost/pricing" + query, visit.Property("page_url"));
        Assert.Equal("/pricing", visit.Property("page_path"));
        Assert.Equal("https://google.com/search?q=acme", visit.Property("page_referrer"));
        Assert.Equal("Pricing", visit.Property("page_title"));
        Assert.Equal("newsletter", visit.Property("utm_source"));
        Assert.Equal("email", visit.Property("utm_medium"));
        Assert.Equal("summer_promotion", visit.Property("utm_campaign"));
        Assert.Equal("analytics", visit.Property("utm_term"));
        Assert.Equal("hero", visit.Property("utm_content"));
        Assert.Matches("^[0-9a-f]{32}$", visit.DeviceId);
        Assert.Matches("^[0-9a-f]{32}$", visit.SessionId);
        Assert.NotEqual(visit.DeviceId, visit.SessionId);
        Assert.Equal(visit.DeviceId, visit.UserId); // anonymous visitors are tracked by device
        Assert.Null(visit.GroupId);
        Assert.Equal("marketing", visit.Source);
        var now = _app.Time.GetUtcNow();
        Assert.EndsWith("Z", visit.Timestamp);
        Assert.Equal(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)), DateTimeOffset.Parse(visit.Timestamp!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(TrackContract.ValidateEvent(visit.Json));
    }

    [Fact]
    public async Task BlazorSection_EnhancedNavigation_IsAPageVisitWithThePageTitle()
    {
        using var browser = _app.CreateBrowser();
        (await browser.SendAsync(SampleAppFactory.Navigate("/insights"))).Dispose();
        using var enhanced = new HttpRequestMessage(HttpMethod.Get, "/insights/accounts");
        enhanced.Headers.TryAddWithoutValidation("Accept", "text/html; blazor-enhanced-nav=on");
        enhanced.Headers.UserAgent.ParseAdd(SampleAppFactory.ChromeUserAgent);
        enhanced.Headers.Add("Sec-Fetch-Dest", "empty");
        using var response = await browser.SendAsync(enhanced);
        var html = await response.Content.ReadAsStringAsync();

        var visit = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/insights/accounts");
        Assert.Contains("<title>Insights · Accounts</title>", html, StringComparison.Ordinal); // the page reached the browser whole
        Assert.Equal("Insights · Accounts", visit.Property("page_title"));
        var first = _app.Events.Events.Single(e => e.Property("page_path") == "/insights");
        Assert.Equal("Insights · Overview", first.Property("page_title"));
        Assert.Equal(first.SessionId, visit.SessionId);
    }

    [Fact]
    public async Task SecondVisit_WithReturnedCookies_KeepsDeviceAndSession()
    {
        using var browser = _app.CreateBrowser();

        (await browser.SendAsync(SampleAppFactory.Navigate("/"))).Dispose();
        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();

        var visits = await _app.Events.WaitForEventsAsync(2);
        Assert.Equal(2, visits.Count);
        Assert.Equal(visits[0].DeviceId, visits[1].DeviceId);
        Assert.Equal(visits[0].SessionId, visits[1].SessionId);
        Assert.Equal("Analytics your team will actually use", visits[0].Property("page_title"));
    }

    [Fact]
    public async Task VisitAfter31MinutesIdle_StartsNewSessionOnSameDevice()
    {
        using var browser = _app.CreateBrowser();

        (await browser.SendAsync(SampleAppFactory.Navigate("/"))).Dispose();
        _app.Time.Advance(TimeSpan.FromMinutes(29));
        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose(); // activity renews the session
        _app.Time.Advance(TimeSpan.FromMinutes(31));
        (await browser.SendAsync(SampleAppFactory.Navigate("/"))).Dispose();

        var visits = await _app.Events.WaitForEventsAsync(3);
        Assert.Equal(visits[0].SessionId, visits[1].SessionId);
        Assert.NotEqual(visits[1].SessionId, visits[2].SessionId);
        Assert.Equal(visits[0].DeviceId, visits[2].DeviceId);
    }

    [Theory]
    [InlineData("/css/site.css")]
    [InlineData("/js/site.js")]
    [InlineData("/images/logo.svg")]
    [InlineData("/favicon.ico")]
    [InlineData("/health")]
    [InlineData("/account/login", "HEAD")]
    [InlineData("/dashboard")] // 302 to the login page
    [InlineData("/no-such-page")] // 404, rendered as an HTML error page
    [InlineData("/demo/fail")] // 500, rendered as an HTML error page
    [InlineData("/_thrivestack/events")]
    public async Task NonPageResponses_EmitNoPageVisit(string path, string method = "GET")
    {
        using var browser = _app.CreateBrowser();
        var request = SampleAppFactory.Navigate(path);
        request.Method = new HttpMethod(method);

        using (var response = await browser.SendAsync(request))
            Assert.NotEqual(0, (int)response.StatusCode);

        // A page visit after it proves the pipeline has finished with the first request.
        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();
        var sentinel = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/pricing");
        Assert.Equal([sentinel], _app.Events.Events.Where(e => e.EventName == "page_visit"));
    }

    [Theory]
    [InlineData("Sec-Fetch-Dest", "image")]
    [InlineData("Sec-Fetch-Dest", "empty")]
    [InlineData("Sec-Purpose", "prefetch")]
    [InlineData("Purpose", "prefetch")]
    [InlineData("HX-Request", "true")]
    public async Task NonNavigationRequests_EmitNoPageVisit(string header, string value)
    {
        using var browser = _app.CreateBrowser();
        var request = SampleAppFactory.Navigate("/");
        request.Headers.Remove(header);
        request.Headers.Add(header, value);

        (await browser.SendAsync(request)).Dispose();
        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();

        await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/pricing");
        Assert.DoesNotContain(_app.Events.Events, e => e.Property("page_path") == "/");
    }

    [Fact]
    public async Task SignedInVisit_CarriesUserAndAccount()
    {
        using var browser = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(browser, DemoUsers.JohnId);

        (await browser.SendAsync(SampleAppFactory.Navigate("/dashboard"))).Dispose();

        var visit = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/dashboard");
        Assert.Equal(DemoUsers.JohnId, visit.UserId);
        Assert.Equal(DemoUsers.AcmeId, visit.GroupId);
        Assert.Equal("product", visit.Source);
        Assert.Equal("Dashboard", visit.Property("page_title"));
        var login = _app.Events.Events.First(e => e.Property("page_path") == "/account/login");
        Assert.Equal(login.DeviceId, visit.DeviceId);
        Assert.Equal(login.SessionId, visit.SessionId);

        // A Razor Page's ViewData["Title"], as an MVC view's above: read as the layout's <head> renders.
        (await browser.SendAsync(SampleAppFactory.Navigate("/profile"))).Dispose();
        var profile = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/profile");
        Assert.Equal("Your profile", profile.Property("page_title"));
    }

    [Fact]
    public async Task SignedInVisitToMarketingPrefix_IsMarketing()
    {
        using var browser = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(browser, DemoUsers.JohnId);

        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();

        var visit = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/pricing");
        Assert.Equal(DemoUsers.JohnId, visit.UserId);
        Assert.Equal("marketing", visit.Source);
    }

    [Fact]
    public async Task SecretsInUrlAndReferrer_AreRedacted()
    {
        using var browser = _app.CreateBrowser();

        (await browser.SendAsync(SampleAppFactory.Navigate("/pricing?plan=team&token=abc123&Email=a%40b.c&reset_password=x&utm_source=ads",
            "https://mail.example.com/inbox?session=s3cr3t&folder=1"))).Dispose();

        var visit = await _app.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal("http://localhost/pricing?plan=team&token=REDACTED&Email=REDACTED&reset_password=REDACTED&utm_source=ads", visit.Property("page_url"));
        Assert.Equal("https://mail.example.com/inbox?session=REDACTED&folder=1", visit.Property("page_referrer"));
        Assert.DoesNotContain("abc123", visit.Json.GetRawText());
        Assert.DoesNotContain("s3cr3t", visit.Json.GetRawText());
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)")]
    [InlineData("curl/8.5.0")]
    [InlineData("")]
    public async Task Bots_EmitNoPageVisitAndGetNoCookies(string userAgent)
    {
        using var browser = _app.CreateBrowser();
        var request = SampleAppFactory.Navigate("/");
        request.Headers.UserAgent.Clear();
        if (userAgent.Length > 0)
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);

        using (var response = await browser.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("ts_", StringComparison.Ordinal));
        }

        using var human = new HttpClient(_app.Server.CreateHandler()) { BaseAddress = _app.Server.BaseAddress };
        (await human.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();
        var sentinel = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/pricing");
        Assert.Equal([sentinel], _app.Events.Events);
    }

    [Theory]
    [InlineData(SampleAppFactory.ChromeUserAgent, "Chrome", "Windows", "desktop")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", "Chrome Mobile", "Android", "mobile")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Mobile Safari", "iOS", "tablet")]
    public async Task PageVisit_CarriesBrowserOsAndDeviceType(string userAgent, string browser, string os, string deviceType)
    {
        using var client = _app.CreateBrowser();
        var request = SampleAppFactory.Navigate("/");
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);

        (await client.SendAsync(request)).Dispose();

        var visit = await _app.Events.WaitForEventAsync(e => e.EventName == "page_visit");
        Assert.Equal(browser, visit.Property("browser"));
        Assert.Equal(os, visit.Property("os"));
        Assert.Equal(deviceType, visit.Property("device_type"));
        Assert.NotNull(visit.Property("browser_version"));
    }
}
