using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Identity;

/// <summary>Identify and group with zero code: once per user per session, only configured claims, never without consent.</summary>
public sealed class AutoIdentifyTests : IAsyncDisposable
{
    private ServiceProvider? _services;

    [Fact]
    public async Task SignedInUser_ManyEventsAndRequestsInOneSession_OneIdentifyAndOneGroup()
    {
        var app = await StartAsync(o => o.AutoIdentify.GroupNameClaimTypes = "account_name");
        var first = app.Request(Ada());
        app.Track(first, 3);
        for (var i = 0; i < 3; i++)
            app.Track(app.Request(Ada(), cookiesFrom: first), 2);

        var recorder = await app.FlushAsync();
        var identify = Assert.Single(recorder.Identifies);
        Assert.Equal("u-ada", identify.UserId);
        Assert.Equal("acme", identify.GroupId);
        Assert.Equal("ada@acme.test", identify.Trait("email"));
        Assert.Equal("Ada Lovelace", identify.Trait("enrichment_full_name"));
        Assert.Equal("Ada", identify.Trait("enrichment_first_name"));
        Assert.Equal("Lovelace", identify.Trait("enrichment_last_name"));
        Assert.False(identify.Traits.TryGetProperty("phone", out _)); // a claim nobody named is never sent
        var group = Assert.Single(recorder.Groups);
        Assert.Equal("acme", group.GroupId);
        Assert.Equal("u-ada", group.UserId);
        Assert.Equal("Account", group.Trait("group_type"));
        Assert.Equal("Acme Corp", group.Trait("name"));
        Assert.Equal(9, recorder.Events.Count);
    }

    [Fact]
    public async Task NewSession_IdentifiesAgain_SwitchedAccount_GroupsAgain()
    {
        var app = await StartAsync();
        app.Track(app.Request(Ada()), 1);
        app.Track(app.Request(Ada()), 1); // no cookies: a new device and session
        var first = app.Request(Ada());
        app.Track(first, 1);
        app.Track(app.Request(Ada(account: "globex"), cookiesFrom: first), 1);

        var recorder = await app.FlushAsync();
        Assert.Equal(3, recorder.Identifies.Count);
        Assert.Equal(["acme", "acme", "acme", "globex"], recorder.Groups.Select(g => g.GroupId));
        Assert.All(recorder.Groups, g => Assert.Null(g.Trait("name"))); // no group-name claim configured by default
    }

    [Fact]
    public async Task ConsentWithheld_Disabled_OrAnonymous_NothingSent()
    {
        var app = await StartAsync();
        var gpc = app.Request(Ada());
        gpc.Request.Headers["Sec-GPC"] = "1";
        app.Track(gpc, 1);
        app.Track(app.Request(null), 1);
        var recorder = await app.FlushAsync();
        Assert.Empty(recorder.Identifies);
        Assert.Empty(recorder.Groups);
        Assert.Equal(2, recorder.Events.Count);

        var off = await StartAsync(o => o.AutoIdentify.Enabled = false);
        off.Track(off.Request(Ada()), 1);
        recorder = await off.FlushAsync();
        Assert.Empty(recorder.Identifies);
        Assert.Empty(recorder.Groups);
    }

    [Fact]
    public async Task ClaimTypes_OnlyThoseConfigured_AnEmailAsNameIsNotAName()
    {
        var app = await StartAsync(o =>
        {
            o.AutoIdentify.EmailClaimTypes = "work_email";
            o.AutoIdentify.GivenNameClaimTypes = "";
        });
        var principal = Ada();
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("work_email", "ada@work.test"));
        ((ClaimsIdentity)principal.Identity!).RemoveClaim(principal.FindFirst("name"));
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ClaimTypes.Name, "ada@acme.test")); // Identity's user name
        app.Track(app.Request(principal), 1);

        var identify = Assert.Single((await app.FlushAsync()).Identifies);
        Assert.Equal("ada@work.test", identify.Trait("email"));
        Assert.Null(identify.Trait("enrichment_full_name"));
        Assert.Null(identify.Trait("enrichment_first_name"));
        Assert.Equal("Lovelace", identify.Trait("enrichment_last_name"));
    }

    [Fact]
    public async Task AppIdentifiedTheUserInThisSession_NotRepeated()
    {
        var app = await StartAsync();
        var signup = app.Request(null); // the sign-up request: still anonymous
        app.Accessor.HttpContext = signup;
        app.Tracker.Identify(new ThriveStackUser { UserId = "u-ada", GroupId = "acme", Email = "ada@acme.test" });
        app.Tracker.Group(new ThriveStackGroup { GroupId = "acme", UserId = "u-ada", GroupType = "Account", Name = "Acme" });
        app.Track(app.Request(Ada(), cookiesFrom: signup), 2); // signed in now, same session

        var recorder = await app.FlushAsync();
        Assert.Single(recorder.Identifies);
        Assert.Single(recorder.Groups);
    }

    [Fact]
    public async Task Remembered_IsBounded()
    {
        var app = await StartAsync(o => o.AutoIdentify.MaxRemembered = 4);
        for (var i = 0; i < 20; i++)
            app.Track(app.Request(Ada(user: "u" + i)), 1);

        Assert.InRange(app.Services.GetRequiredService<AutoIdentify>().Remembered, 1, 4);
        Assert.Equal(20, (await app.FlushAsync()).Identifies.Count);
    }

    private static ClaimsPrincipal Ada(string user = "u-ada", string account = "acme") => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user),
        new Claim("group_id", account),
        new Claim("email", "ada@acme.test"),
        new Claim("name", "Ada Lovelace"),
        new Claim(ClaimTypes.GivenName, "Ada"),
        new Claim("family_name", "Lovelace"),
        new Claim("phone", "+1 555 0100"),
        new Claim("account_name", "Acme Corp"),
    ], "test"));

    private async Task<App> StartAsync(Action<ThriveStackOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddThriveStack(o => configure?.Invoke(o));
        services.AddThriveStackTesting();
        services.AddHttpContextAccessor(); // the app's own, which the tracker reads; these tests set it as the host would
        if (_services is not null)
            await _services.DisposeAsync();
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<DeliveryPipelines>().StartAsync(CancellationToken.None);
        return new App(_services);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
    }

    private sealed class App(IServiceProvider services)
    {
        public IServiceProvider Services => services;
        public IThriveStackTracker Tracker { get; } = services.GetRequiredService<IThriveStackTracker>();
        public IHttpContextAccessor Accessor { get; } = services.GetRequiredService<IHttpContextAccessor>();

        /// <summary>A request by <paramref name="user"/> (anonymous when null), carrying the visitor cookies another request was given.</summary>
        public DefaultHttpContext Request(ClaimsPrincipal? user, HttpContext? cookiesFrom = null)
        {
            var http = new DefaultHttpContext { RequestServices = services };
            if (user is not null)
                http.User = user;
            if (cookiesFrom is not null) // what a browser sends back: the name=value of each Set-Cookie
                http.Request.Headers.Cookie = string.Join("; ", cookiesFrom.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
            return http;
        }

        public void Track(HttpContext http, int events)
        {
            Accessor.HttpContext = http;
            for (var i = 0; i < events; i++)
                Tracker.Track(new ThriveStackEvent("report_exported"));
            Accessor.HttpContext = null;
        }

        public async Task<ThriveStackEventRecorder> FlushAsync()
        {
            var recorder = services.GetRequiredService<ThriveStackEventRecorder>();
            await recorder.FlushAsync();
            return recorder;
        }
    }
}
