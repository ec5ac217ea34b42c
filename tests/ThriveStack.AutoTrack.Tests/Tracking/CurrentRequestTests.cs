using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Tracking;

/// <summary>
/// How the tracker finds the request an app's own <c>Track</c> call is made during: AutoTrack's own middleware, first in
/// the pipeline (with no <see cref="IHttpContextAccessor"/>, which would stop the host reusing its contexts), or the
/// app's accessor when it registers one.
/// </summary>
public class CurrentRequestTests
{
    private const string DeviceA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string DeviceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void AddThriveStack_RegistersNoHttpContextAccessor()
    {
        var builder = TestWebApp.CreateBuilder(null);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Null(services.GetService<IHttpContextAccessor>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrackDuringARequest_GetsItsIds_WithOrWithoutThePageMiddleware(bool useTracking)
    {
        var builder = TestWebApp.CreateBuilder(null);
        await using var app = builder.Build();
        if (useTracking)
            app.UseThriveStackTracking();
        app.MapPost("/export", (IThriveStackTracker tracker) => tracker.Track(new ThriveStackEvent("report_exported", "u-1")) ? "sent" : "not sent");
        await app.StartAsync();

        var answer = await Send(app, "/export", DeviceA);

        Assert.Equal("sent", answer);
        var sent = await app.Events().WaitForEventAsync(e => e.EventName == "report_exported");
        Assert.Equal(DeviceA, sent.DeviceId);
        Assert.NotNull(sent.SessionId);
    }

    [Fact]
    public async Task WorkThatOutlivesItsRequest_FindsNoRequest_NotTheNextOne()
    {
        var builder = TestWebApp.CreateBuilder(null);
        await using var app = builder.Build();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracked = new TaskCompletionSource<(bool Sent, bool SawRequest)>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapPost("/start", (IThriveStackTracker tracker) =>
        {
            // Fire and forget: captures the request's flow, runs after the response.
            _ = Task.Run(async () =>
            {
                await release.Task;
                var sawRequest = CurrentRequest.Context is not null;
                tracked.SetResult((tracker.Track(new ThriveStackEvent("report_exported", "u-background")), sawRequest));
            });
            return "started";
        });
        app.MapPost("/next", async () =>
        {
            release.SetResult(); // the first request has ended; this one is being served
            await tracked.Task;
            return "done";
        });
        await app.StartAsync();

        Assert.Equal("started", await Send(app, "/start", DeviceA));
        Assert.Equal("done", await Send(app, "/next", DeviceB));

        var (sent, sawRequest) = await tracked.Task;
        Assert.True(sent);
        Assert.False(sawRequest);
        var background = await app.Events().WaitForEventAsync(e => e.UserId == "u-background");
        Assert.Null(background.DeviceId); // neither the ended request's device nor the next one's
        Assert.Null(background.SessionId);
    }

    [Fact]
    public async Task AppsOwnAccessor_IsRead_AndNoSecondValueIsSet()
    {
        var builder = TestWebApp.CreateBuilder(null);
        builder.Services.AddHttpContextAccessor();
        await using var app = builder.Build();
        var ours = true;
        app.MapPost("/export", (IThriveStackTracker tracker) =>
        {
            ours = CurrentRequest.Context is not null;
            return tracker.Track(new ThriveStackEvent("report_exported", "u-1")) ? "sent" : "not sent";
        });
        await app.StartAsync();

        Assert.Equal("sent", await Send(app, "/export", DeviceA));

        Assert.False(ours); // the host sets the app's accessor for every request: AutoTrack adds no write of its own
        var sent = await app.Events().WaitForEventAsync(e => e.EventName == "report_exported");
        Assert.Equal(DeviceA, sent.DeviceId);
    }

    [Fact]
    public async Task AnAppWithItsOwnAccessor_CalledFromInsideAnotherAppsRequest_FindsItsOwnRequest()
    {
        // Two apps in one process, as in tests: the outer one (AutoTrack's middleware) calls the inner one (the app's
        // accessor) while serving a request, and the inner host runs in the caller's flow.
        var innerBuilder = TestWebApp.CreateBuilder(null);
        innerBuilder.Services.AddHttpContextAccessor();
        innerBuilder.Services.Configure<TestServerOptions>(o => o.PreserveExecutionContext = true);
        await using var inner = innerBuilder.Build();
        inner.MapPost("/export", (IThriveStackTracker tracker) => tracker.Track(new ThriveStackEvent("report_exported", "u-inner")) ? "sent" : "not sent");
        await inner.StartAsync();

        var outerBuilder = TestWebApp.CreateBuilder(null);
        await using var outer = outerBuilder.Build();
        outer.MapPost("/call", () => Send(inner, "/export", DeviceB));
        await outer.StartAsync();

        Assert.Equal("sent", await Send(outer, "/call", DeviceA));

        var sent = await inner.Events().WaitForEventAsync(e => e.UserId == "u-inner");
        Assert.Equal(DeviceB, sent.DeviceId); // the inner request's, not the outer one's
    }

    private static async Task<string> Send(WebApplication app, string path, string deviceId)
    {
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", $"ts_device_id={deviceId}");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
