using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Hosting;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;

// What the package's build props add to a web app's own assembly; ASP.NET Core reads it when the app's name is this assembly's.
[assembly: HostingStartup(typeof(RegistrationCheckStartup))]

namespace ThriveStack.AutoTrack.Tests.Hosting;

/// <summary>Every use of AutoTrack without <c>AddThriveStack()</c> fails at startup with the same message.</summary>
public class RegistrationCheckTests
{
    private const string HowToFix = "Call 'builder.Services.AddThriveStack()' in Program.cs, before 'builder.Build()'";

    [Fact]
    public async Task HostingStartup_AppUsesAutoTrackWithoutAddThriveStack_FailsAtStartup()
    {
        // The app's assembly is this test assembly: it has [TrackFeature] controllers and classes that take the tracker.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(RegistrationCheckTests).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains(HowToFix, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostingStartup_WithAddThriveStack_Starts()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RegistrationCheckTests).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Services.AddThriveStackTesting();
        await using var app = builder.Build();

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task EndpointConventionOnly_FailsAtStartupNamingIt()
    {
        await using var app = BuildWithCheck(app => app.MapPost("/export", () => Results.Ok()).TrackFeature("export_report"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains(".TrackFeature(...) or .TrackEvent(...)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(HowToFix, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingUsed_Starts()
    {
        await using var app = BuildWithCheck(app => app.MapGet("/", () => "hello"));

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task EndpointConvention_WithoutTheHostingStartup_FailsWhenTheEndpointIsBuilt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        app.MapPost("/export", () => Results.Ok()).TrackFeature("export_report");
        await app.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.GetTestClient().PostAsync("/export", null));

        Assert.Contains(".TrackFeature(...) or .TrackEvent(...)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(HowToFix, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevCollectorWithoutAddThriveStack_FailsAtStartup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddThriveStackDevCollector();
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("builder.AddThriveStackDevCollector()", ex.Message, StringComparison.Ordinal);
        Assert.Contains(HowToFix, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(TrackedController), "[TrackFeature]/[TrackEvent] on ")]
    [InlineData(typeof(ActionTrackedController), "[TrackFeature]/[TrackEvent] on ")]
    [InlineData(typeof(TrackedPage), "[TrackFeature]/[TrackEvent] on ")]
    [InlineData(typeof(TrackerController), "IThriveStackTracker injected into ")]
    [InlineData(typeof(TrackerComponent), "IThriveStackTracker in ")]
    [InlineData(typeof(TrackerHandler), "IThriveStackTracker as a parameter of ")]
    public void FirstUseIn_NamesEachKindOfUse(Type type, string expected)
    {
        var use = RegistrationCheck.FirstUseIn(type);

        Assert.NotNull(use);
        Assert.StartsWith(expected, use, StringComparison.Ordinal);
        Assert.Contains(type.Name, use, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstUseIn_PlainController_Nothing() => Assert.Null(RegistrationCheck.FirstUseIn(typeof(PlainController)));

    private static WebApplication BuildWithCheck(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        // As the hosting startup adds it, reading an app assembly with no use of AutoTrack (the testing kit's).
        builder.Services.AddSingleton<IStartupFilter>(sp => new RegistrationCheck(sp.GetRequiredService<IWebHostEnvironment>())
        {
            AppAssembly = typeof(ThriveStackCollector).Assembly,
        });
        var app = builder.Build();
        map(app);
        return app;
    }

    [TrackFeature("reports")]
    private sealed class TrackedController : Controller;

    private sealed class ActionTrackedController : Controller
    {
        [TrackEvent("report_exported")]
        public IActionResult Export() => Ok();
    }

    [TrackFeature("profile")]
    private sealed class TrackedPage : PageModel;

    private sealed class TrackerController(IThriveStackTracker tracker) : Controller
    {
        public IActionResult Index() => Ok(tracker);
    }

    private sealed class TrackerComponent : ComponentBase
    {
        [Inject]
        public IThriveStackTracker Tracker { get; set; } = null!;
    }

    private static class TrackerHandler
    {
        public static IResult Handle(IThriveStackTracker tracker) => Results.Ok(tracker.GetType().Name);
    }

    private sealed class PlainController : Controller
    {
        public IActionResult Index() => Ok();
    }
}
