using System.Net;

namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>Identify and group through the sample: the sign-up form, and the automatic identify after sign-in.</summary>
public sealed class IdentifyGroupTests : IAsyncLifetime
{
    private readonly SampleAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SignUp_SendsIdentifyAndGroup_WithTheIdsOfSignedUpAndAccountCreated()
    {
        using var browser = _app.CreateBrowser();
        using var form = await browser.SendAsync(SampleAppFactory.Navigate("/account/signup"));
        var token = SampleAppFactory.AntiforgeryToken(await form.Content.ReadAsStringAsync());
        using var post = await browser.PostAsync("/account/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Grace Hopper",
            ["Email"] = "grace@univac.test",
            ["Company"] = "Univac",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        (await browser.SendAsync(SampleAppFactory.Navigate("/dashboard"))).Dispose(); // signed in now: already identified

        var identify = await _app.Events.WaitForIdentifyAsync(r => r.Trait("email") == "grace@univac.test");
        var group = await _app.Events.WaitForGroupAsync(r => r.UserId == identify.UserId);
        await _app.Events.WaitForEventAsync(e => e.Property("page_path") == "/dashboard");
        var signedUp = _app.Events.Events.Single(e => e.EventName == "signed_up");
        var created = _app.Events.Events.Single(e => e.EventName == "account_created");

        Assert.Equal("Grace Hopper", identify.Trait("enrichment_full_name"));
        Assert.Equal(signedUp.UserId, identify.UserId);
        Assert.Equal(created.UserId, identify.UserId);
        Assert.Equal(created.GroupId, identify.GroupId);
        Assert.Equal(created.GroupId, group.GroupId);
        Assert.Equal("Account", group.Trait("group_type"));
        Assert.Equal("Univac", group.Trait("name"));
        Assert.Equal("univac.test", group.Trait("domain"));
        // The app's own calls count as this session's: the visit after sign-in does not repeat them.
        Assert.Single(_app.Events.Identifies);
        Assert.Single(_app.Events.Groups);
    }

    [Fact]
    public async Task SignIn_ExistingUser_OneAutomaticIdentifyPerSession_FromClaims()
    {
        using var browser = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(browser, DemoUsers.JohnId);
        foreach (var path in new[] { "/dashboard", "/reports", "/profile", "/dashboard" })
            (await browser.SendAsync(SampleAppFactory.Navigate(path))).Dispose();
        await _app.Events.WaitForEventsAsync(4);

        await _app.Events.FlushAsync();
        var identify = Assert.Single(_app.Events.Identifies);
        Assert.Equal(DemoUsers.JohnId, identify.UserId);
        Assert.Equal(DemoUsers.AcmeId, identify.GroupId);
        Assert.Contains("@", identify.Trait("email"), StringComparison.Ordinal);
        Assert.NotNull(identify.Trait("enrichment_full_name"));
        var group = Assert.Single(_app.Events.Groups);
        Assert.Equal(DemoUsers.AcmeId, group.GroupId);
        Assert.Equal("Account", group.Trait("group_type"));
        Assert.False(string.IsNullOrEmpty(group.Trait("name"))); // AutoIdentify:GroupNameClaimTypes in the sample's appsettings.json

        // Another browser is another session: identified once more.
        using var other = _app.CreateBrowser();
        await SampleAppFactory.SignInAsync(other, DemoUsers.JohnId);
        (await other.SendAsync(SampleAppFactory.Navigate("/dashboard"))).Dispose();
        await _app.Events.WaitForIdentifyAsync(_ => _app.Events.Identifies.Count == 2);
        Assert.Equal(2, _app.Events.Identifies.Count);
    }
}
