using System.Net;
using ThriveStack.AutoTrack.Testing;

namespace ThriveStack.AutoTrack.IntegrationTests;

public class FeatureTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _browser = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(_browser, DemoUsers.JohnId);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task MvcAction_Export_EmitsOneFeatureUsedWithCapturedFormValues()
    {
        using var response = await PostFormAsync("/reports", "/reports/export", new() { ["id"] = "2", ["format"] = "xlsx" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var e = await _app.Events.WaitForEventAsync(e => e.EventName == "feature_used");
        Assert.Single(_app.Events.Events, x => x.EventName == "feature_used");
        Assert.Equal("export_report", e.Property("feature_name"));
        Assert.Equal("core", e.Property("feature_type"));
        Assert.Equal("admin", e.Property("user_role"));
        Assert.Equal(2, e.Properties.GetProperty("id").GetInt32());
        Assert.Equal("xlsx", e.Property("format"));
        Assert.Equal(DemoUsers.JohnId, e.UserId);
        Assert.Equal(DemoUsers.AcmeId, e.GroupId);
        Assert.Equal("product", e.Source);
        var page = _app.Events.Events.First(x => x.Property("page_path") == "/reports");
        Assert.Equal(page.DeviceId, e.DeviceId);
        Assert.Equal(page.SessionId, e.SessionId);
        Assert.Empty(TrackContract.ValidateEvent(e.Json));
    }

    [Fact]
    public async Task MvcAction_Fails404_EmitsNothing()
    {
        using var response = await PostFormAsync("/reports", "/reports/export", new() { ["id"] = "99" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        (await _browser.SendAsync(SampleAppFactory.Navigate("/pricing"))).Dispose();
        await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/pricing");
        Assert.DoesNotContain(_app.Events.Events, e => e.EventName == "feature_used");
    }

    [Fact]
    public async Task ControllerLevelAttribute_CoversActions_AndActionAttributeWins()
    {
        (await PostFormAsync("/dashboard", "/alerts", new() { ["metric"] = "signups", ["threshold"] = "10" })).Dispose();
        (await PostFormAsync("/dashboard", "/alerts/5/mute", [])).Dispose();

        var events = await WaitForFeaturesAsync(2);
        Assert.Equal("alerts", events[0].Property("feature_name"));
        Assert.Equal("secondary", events[0].Property("feature_type"));
        Assert.Null(events[0].Property("sub_feature_name"));
        Assert.Equal("alerts", events[1].Property("feature_name"));
        Assert.Equal("mute", events[1].Property("sub_feature_name"));
        Assert.Equal(5, events[1].Properties.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task RazorPageHandler_EmitsOnlyForThatHandler()
    {
        (await _browser.SendAsync(SampleAppFactory.Navigate("/team/invite"))).Dispose();
        (await PostFormAsync("/team/invite", "/team/invite?handler=Invite", new() { ["email"] = "new@acme.com", ["role"] = "admin" })).Dispose();

        var feature = Assert.Single(await WaitForFeaturesAsync(1));
        Assert.Equal("team_management", feature.Property("feature_name"));
        Assert.Equal("secondary", feature.Property("feature_type"));
        Assert.Equal("invite", feature.Property("sub_feature_name"));
        Assert.Equal("admin", feature.Property("role"));
        var invite = await _app.Events.WaitForEventAsync(e => e.EventName == "invite_sent");
        Assert.Equal("new@acme.com", invite.Property("invitee_email"));
        Assert.Equal(DemoUsers.AcmeId, invite.GroupId);
    }

    [Fact]
    public async Task MinimalApi_EmitsFeatureAndEventWithRouteAndQueryValues()
    {
        using var response = await _browser.PostAsync("/api/reports/3/share?channel=email", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var feature = Assert.Single(await WaitForFeaturesAsync(1));
        Assert.Equal("share_report", feature.Property("feature_name"));
        Assert.Equal(3, feature.Properties.GetProperty("id").GetInt32());
        Assert.Equal("email", feature.Property("channel"));
        Assert.Equal(DemoUsers.JohnId, feature.UserId);
        var shared = await _app.Events.WaitForEventAsync(e => e.EventName == "report_shared");
        Assert.Equal(3, shared.Properties.GetProperty("id").GetInt32());
        Assert.Equal(DemoUsers.AcmeId, shared.GroupId);
    }

    [Fact]
    public async Task RouteGroup_EachSuccessfulCallEmits_FailuresDoNot()
    {
        (await _browser.GetAsync("/api/insights/summary")).Dispose();
        (await _browser.GetAsync("/api/insights/trends/unknown")).Dispose(); // 400
        (await _browser.GetAsync("/api/insights/trends/signups")).Dispose();

        var events = await WaitForFeaturesAsync(2);
        Assert.All(events, e => Assert.Equal("insights", e.Property("feature_name")));
        Assert.All(events, e => Assert.Equal("add-on", e.Property("feature_type")));
        await Task.Delay(100);
        Assert.Equal(2, (await _app.Events.FlushAsync()).Count(e => e.EventName == "feature_used"));
    }

    private async Task<IReadOnlyList<ReceivedEvent>> WaitForFeaturesAsync(int count)
    {
        await _app.Events.WaitForEventAsync(_ => _app.Events.Events.Count(e => e.EventName == "feature_used") >= count);
        return _app.Events.Events.Where(e => e.EventName == "feature_used").ToList();
    }

    private async Task<HttpResponseMessage> PostFormAsync(string pageWithForm, string action, Dictionary<string, string> fields)
    {
        using var page = await _browser.SendAsync(SampleAppFactory.Navigate(pageWithForm));
        fields["__RequestVerificationToken"] = SampleAppFactory.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        return await _browser.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}
