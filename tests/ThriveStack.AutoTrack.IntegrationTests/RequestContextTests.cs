using System.Net;

namespace ThriveStack.AutoTrack.IntegrationTests;

public class RequestContextTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SignUp_EventsTrackedInController_GetVisitorsDeviceAndSession()
    {
        using var browser = _app.CreateBrowser();
        using var form = await browser.SendAsync(SampleAppFactory.Navigate("/account/signup?utm_source=twitter&utm_campaign=launch"));
        var token = SampleAppFactory.AntiforgeryToken(await form.Content.ReadAsStringAsync());

        using var post = await browser.PostAsync("/account/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Ann Lee",
            ["Email"] = "ann@initech.com",
            ["Company"] = "Initech",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.True(post.StatusCode == HttpStatusCode.Redirect, string.Join("\n", _app.Logs.GetSnapshot().Where(r => r.Exception is not null).Select(r => r.Exception!.ToString())));
        (await browser.SendAsync(SampleAppFactory.Navigate("/dashboard"))).Dispose();

        var dashboard = await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/dashboard");
        var events = _app.Events.Events;
        var visit = events.Single(e => e.Property("page_path") == "/account/signup");
        var signedUp = events.Single(e => e.EventName == "signed_up");
        var created = events.Single(e => e.EventName == "account_created");

        // Anonymous before, the new user after; one device and one session throughout.
        Assert.Equal(visit.DeviceId, visit.UserId);
        Assert.NotEqual(visit.UserId, signedUp.UserId);
        Assert.Equal(signedUp.UserId, created.UserId);
        Assert.Equal(signedUp.UserId, dashboard.UserId);
        Assert.All([signedUp, created, dashboard], e => Assert.Equal(visit.DeviceId, e.DeviceId));
        Assert.All([signedUp, created, dashboard], e => Assert.Equal(visit.SessionId, e.SessionId));

        Assert.Equal("ann@initech.com", signedUp.Property("user_email"));
        Assert.Equal("twitter", signedUp.Property("utm_source"));
        Assert.Equal("launch", signedUp.Property("utm_campaign"));
        Assert.Equal("marketing", signedUp.Source);
        Assert.Null(signedUp.GroupId);
        Assert.Equal(created.Property("account_id"), created.GroupId);
        Assert.Equal("Initech", created.Property("account_name"));
        Assert.Equal("initech.com", created.Property("account_domain"));
        Assert.Equal(created.GroupId, dashboard.GroupId);
        Assert.Equal("product", dashboard.Source);
    }

    [Fact]
    public async Task SignedInUser_EventTrackedInRazorPage_GetsUserGroupAndProductSource()
    {
        using var browser = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(browser, DemoUsers.JohnId);
        using var page = await browser.SendAsync(SampleAppFactory.Navigate("/profile"));
        var token = SampleAppFactory.AntiforgeryToken(await page.Content.ReadAsStringAsync());

        using var post = await browser.PostAsync("/profile", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["JobTitle"] = "CTO",
            ["TeamSize"] = "11-50",
            ["__RequestVerificationToken"] = token,
        }));

        var completed = await _app.Events.WaitForEventAsync(e => e.EventName == "profile_completed");
        var visit = _app.Events.Events.First(e => e.Property("page_path") == "/profile");
        Assert.Equal(DemoUsers.JohnId, completed.UserId);
        Assert.Equal(DemoUsers.AcmeId, completed.GroupId);
        Assert.Equal("product", completed.Source);
        Assert.Equal(visit.DeviceId, completed.DeviceId);
        Assert.Equal(visit.SessionId, completed.SessionId);
        Assert.Equal("admin", completed.Property("user_role"));
        Assert.Equal("completed", completed.Property("completion_status"));
    }
}
