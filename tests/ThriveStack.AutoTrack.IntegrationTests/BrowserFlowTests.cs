using Microsoft.Playwright;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>
/// The sample on Kestrel driven by headless Chromium through a visitor's first session: exactly the events a real
/// browser causes, assets and favicon included in what it loads.
/// </summary>
public sealed class BrowserFlowTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new(kestrel: true);
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ExecutablePath))
            return; // the test is skipped
        _app.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            IgnoreDefaultArgs = ["--disable-back-forward-cache"], // Playwright turns the cache off; browsers have it on
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _app.DisposeAsync();
    }

    [ChromiumFact]
    public async Task FirstVisitToExport_EmitsExactlyTheExpectedEvents()
    {
        var baseUrl = BaseUrl;
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var loaded = new List<string>();
        page.RequestFinished += (_, request) => { lock (loaded) loaded.Add(new Uri(request.Url).AbsolutePath); };

        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/");
        await page.ClickAsync("text=See pricing");
        await ArrivedAtAsync(page, "/pricing?utm_source=home&utm_medium=cta");
        await page.ClickAsync("text=Start free trial");
        await ArrivedAtAsync(page, "/account/signup");
        await page.FillAsync("#Name", "Grace Hopper");
        await page.FillAsync("#Email", "grace@navy.example");
        await page.FillAsync("#Company", "Navy Labs");
        await page.ClickAsync("#signup");
        await ArrivedAtAsync(page, "/dashboard");
        await page.ClickAsync("text=Reports");
        await ArrivedAtAsync(page, "/reports");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-2"));
        Assert.Equal("report-2.csv", download.SuggestedFilename);
        await page.ClickAsync("button.share[data-report='3']");
        await page.WaitForSelectorAsync("button.share[data-report='3']:has-text('Shared')");

        var events = await _app.Events.FlushAsync();
        lock (loaded)
        {
            // The browser did fetch the assets and the favicon; none of them is a page visit.
            Assert.Contains("/css/site.css", loaded);
            Assert.Contains("/js/site.js", loaded);
        }

        Assert.Equal(
            [
                "page_visit /", "page_visit /pricing", "page_visit /account/signup", "signed_up", "account_created",
                "page_visit /dashboard", "page_visit /reports", "feature_used export_report", "feature_used share_report", "report_shared",
            ],
            events.Select(e => e.EventName == "page_visit" ? "page_visit " + e.Property("page_path")
                : e.EventName == "feature_used" ? "feature_used " + e.Property("feature_name") : e.EventName));

        var visits = events.Where(e => e.EventName == "page_visit").ToList();
        Assert.Equal("home", visits[1].Property("utm_source"));
        Assert.Equal("cta", visits[1].Property("utm_medium"));
        Assert.Equal(baseUrl + "/", visits[1].Property("page_referrer"));
        Assert.Equal("Pricing", visits[1].Property("page_title"));
        Assert.All(visits, v => Assert.Equal("Chrome", v.Property("browser")));

        // One device and one session throughout; the user id moves from the anonymous id to the new user's.
        var deviceId = Assert.Single(events.Select(e => e.DeviceId).Distinct());
        Assert.Matches("^[0-9a-f]{32}$", deviceId);
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(events.Select(e => e.SessionId).Distinct()));
        var signedUp = events.Single(e => e.EventName == "signed_up");
        Assert.NotEqual(deviceId, signedUp.UserId);
        Assert.Equal("grace@navy.example", signedUp.Property("user_email"));
        Assert.All(events.Take(3), e => Assert.Equal(deviceId, e.UserId));
        Assert.All(events.Skip(3), e => Assert.Equal(signedUp.UserId, e.UserId));
        var accountId = events.Single(e => e.EventName == "account_created").GroupId;
        Assert.NotNull(accountId);
        Assert.All(events.Skip(5), e => Assert.Equal(accountId, e.GroupId));

        var export = events.Single(e => e.Property("feature_name") == "export_report");
        Assert.Equal("core", export.Property("feature_type"));
        Assert.Equal(2, export.Properties.GetProperty("id").GetInt32());
    }

    [ChromiumFact]
    public async Task BlazorSection_ThreeEnhancedNavigations_ThreePageVisitsWithTheirPageTitles()
    {
        var visits = await BlazorNavigationsAsync(_app);

        // Counted by the server, and not again by the script. Blazor puts the new address in the history before it
        // fetches the page, so the request names no previous page.
        Assert.All(visits.Skip(1), v => Assert.Null(v.Property("page_referrer")));
    }

    [ChromiumFact]
    public async Task BlazorSection_ServerCountsNoInAppNavigations_TheScriptReportsEachOnce()
    {
        await using var app = new SampleAppFactory(kestrel: true, configure: o => o.PageVisits.TrackInAppNavigations = false);
        app.StartServer();

        var visits = await BlazorNavigationsAsync(app);

        var baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal([baseUrl + "/insights", baseUrl + "/insights/usage", baseUrl + "/insights/accounts"], visits.Skip(1).Select(v => v.Property("page_referrer")));
    }

    /// <summary>Loads /insights, then follows three links by enhanced navigation; returns the page visits, checked alike.</summary>
    private async Task<List<ReceivedEvent>> BlazorNavigationsAsync(SampleAppFactory app)
    {
        var baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await using var context = await NewContextAsync(baseUrl);
        var page = await context.NewPageAsync();
        var documents = 0;
        page.Request += (_, request) => { if (request.ResourceType == "document") Interlocked.Increment(ref documents); };

        await page.GotoAsync("/insights", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/insights");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined"); // blazor.web.js has taken over the links
        foreach (var (link, path, title) in new[]
        {
            ("Usage", "/insights/usage", "Insights · Usage"),
            ("Accounts", "/insights/accounts", "Insights · Accounts"),
            ("Overview", "/insights", "Insights · Overview"),
        })
        {
            await page.ClickAsync($"nav >> text={link}");
            await ArrivedAtAsync(page, path);
            await page.WaitForFunctionAsync("expected => document.title === expected", title);
        }

        Assert.Equal(1, documents); // one full load; the three others were enhanced navigations (fetch)
        await app.Events.WaitForEventsAsync(4, TimeSpan.FromSeconds(30));
        await Task.Delay(1500); // time for a wrong second report of a navigation to arrive
        var visits = (await app.Events.FlushAsync()).Where(e => e.EventName == "page_visit").ToList();
        Assert.Equal(
            ["/insights Insights · Overview", "/insights/usage Insights · Usage", "/insights/accounts Insights · Accounts", "/insights Insights · Overview"],
            visits.Select(v => v.Property("page_path") + " " + v.Property("page_title")));
        Assert.Single(visits.Select(v => v.DeviceId).Distinct());
        Assert.Single(visits.Select(v => v.SessionId).Distinct());
        Assert.All(visits, v => Assert.Equal("Chrome", v.Property("browser")));
        return visits;
    }

    [ChromiumFact]
    public async Task SinglePageSection_LoadTwoRouteChangesAndBack_FourPageVisits_FirstCountedOnce()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/app", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/app");
        await page.ClickAsync("nav >> text=Projects");
        await ArrivedAtAsync(page, "/app/projects");
        await page.ClickAsync("#new-project");
        await page.ClickAsync("nav >> text=Settings");
        await ArrivedAtAsync(page, "/app/settings");
        await page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/app/projects");

        await _app.Events.WaitForEventsAsync(5, TimeSpan.FromSeconds(30));
        await Task.Delay(1500); // time for a wrong extra report to arrive
        var events = await _app.Events.FlushAsync();
        var visits = events.Where(e => e.EventName == "page_visit").ToList();
        Assert.Equal(
            ["/app App · Acme Analytics", "/app/projects App · Projects", "/app/settings App · Settings", "/app/projects App · Projects"],
            visits.Select(v => v.Property("page_path") + " " + v.Property("page_title")));
        Assert.Equal([null, BaseUrl + "/app", BaseUrl + "/app/projects", BaseUrl + "/app/settings"], visits.Select(v => v.Property("page_referrer")));
        var feature = Assert.Single(events, e => e.EventName == "feature_used");
        Assert.Equal("project_created", feature.Property("feature_name"));
        // The server's ids, never the script's: one device and one session, the browser properties from the user agent.
        Assert.Single(events.Select(e => e.DeviceId).Distinct());
        Assert.Single(events.Select(e => e.SessionId).Distinct());
        Assert.All(visits, v => Assert.Equal("Chrome", v.Property("browser")));
    }

    [ChromiumFact]
    public async Task ServerRenderedPageWithTheScript_OnePageVisit_ABackForwardCacheRestoreIsCounted()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync("window.addEventListener('pageshow', e => { if (e.persisted) window.__restored = true; })");

        await page.GotoAsync("/pricing", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/pricing");
        await page.WaitForFunctionAsync("() => window.__thrivestackAutoTrack === true"); // the script ran, and read the server's mark
        await page.GotoAsync("/app", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/app");
        await page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit });
        await ArrivedAtAsync(page, "/pricing");
        var restored = await page.EvaluateAsync<bool>("() => window.__restored === true");

        await _app.Events.WaitForEventsAsync(3, TimeSpan.FromSeconds(30));
        await Task.Delay(1500);
        var visits = (await _app.Events.FlushAsync()).Where(e => e.EventName == "page_visit").Select(v => v.Property("page_path")).ToList();
        Assert.True(restored, "the page came back from the back/forward cache");
        Assert.Equal(["/pricing", "/app", "/pricing"], visits); // the restore is the second /pricing; no page counted twice
    }

    private string BaseUrl => _app.ClientOptions.BaseAddress.ToString().TrimEnd('/');

    /// <summary>A browser context as a person's Chrome: a real user agent ("HeadlessChrome" is rightly a bot), downloads on.</summary>
    private async Task<IBrowserContext> NewContextAsync(string? baseUrl = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl ?? BaseUrl,
            AcceptDownloads = true,
            UserAgent = SampleAppFactory.ChromeUserAgent,
        });
        // Generous: CI runs this beside the other test assemblies on two cores, and first requests compile views.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        return context;
    }

    /// <summary>
    /// Waits, by polling in the page, until the browser shows <paramref name="pathAndQuery"/> and the document has
    /// finished loading. Playwright's own load-state waits (<c>WaitForURLAsync</c>, even with <c>WaitUntil = Commit</c>,
    /// which still waits for <c>load</c>) hung twice in CI until their 2-minute timeout although the page had loaded:
    /// "NetworkIdle" reached the waiter, "load" never did. A poll of the document cannot miss it, and Playwright re-runs
    /// it in the new document after each navigation.
    /// </summary>
    private static Task ArrivedAtAsync(IPage page, string pathAndQuery)
        => page.WaitForFunctionAsync(
            "expected => location.pathname + location.search === expected && document.readyState === 'complete'",
            pathAndQuery,
            new PageWaitForFunctionOptions { PollingInterval = 50 });
}
