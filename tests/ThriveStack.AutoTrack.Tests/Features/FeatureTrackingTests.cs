using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Tests.Events;

namespace ThriveStack.AutoTrack.Tests.Features;

public class FeatureTrackingTests
{
    [Fact]
    public async Task OneAttribute_ProducesTheDocumentedFeatureUsedExample()
    {
        await using var app = await FeatureTestApp.StartAsync();

        (await app.Client.PostAsync("/t/export", null)).Dispose();

        var e = await app.Events.WaitForEventAsync(x => x.EventName == "feature_used");
        var actual = JsonNode.Parse(e.Json.GetRawText())!.AsObject();
        actual.Remove("timestamp");
        var context = actual["context"]!.AsObject();
        Assert.Equal("product", context["source"]!.GetValue<string>());
        context.Remove("source"); // AutoTrack adds the source, which the example leaves out
        Assert.Matches("^[0-9a-f]{32}$", context["device_id"]!.GetValue<string>());
        context.Remove("device_id"); // ids differ by nature
        context.Remove("session_id");
        var expected = JsonNode.Parse(ContractExamples.FeatureUsed)![0]!.AsObject();
        expected.Remove("timestamp");
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    [Theory]
    [InlineData("/t/throw")]
    [InlineData("/t/bad")]
    [InlineData("/t/fail")]
    [InlineData("/m/throw")]
    [InlineData("/m/bad")]
    public async Task FailingAction_EmitsNothingByDefault(string path)
    {
        await using var app = await FeatureTestApp.StartAsync();

        try
        {
            (await app.Client.PostAsync(path, null)).Dispose();
        }
        catch (InvalidOperationException)
        {
            // TestServer hands the app's exception to the caller: it flowed on unchanged.
        }

        Assert.Empty(await app.SentinelAsync());
    }

    [Theory]
    [InlineData("/t/throw", "broken_feature", 500)]
    [InlineData("/t/bad", "bad_feature", 400)]
    [InlineData("/t/fail", "failing_feature", 500)]
    [InlineData("/m/throw", "group_feature", 500)]
    [InlineData("/m/bad", "group_feature", 400)]
    public async Task FailingAction_WithTrackFailures_EmitsOneWithOutcome(string path, string feature, int status)
    {
        await using var app = await FeatureTestApp.StartAsync(o => o.Features.TrackFailures = true);

        var threw = false;
        try
        {
            (await app.Client.PostAsync(path, null)).Dispose();
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.Equal(path.EndsWith("throw", StringComparison.Ordinal), threw);
        var events = await app.SentinelAsync();
        var e = Assert.Single(events);
        Assert.Equal(feature, e.Property("feature_name"));
        Assert.Equal("failure", e.Property("outcome"));
        Assert.Equal(status, e.Properties.GetProperty("status_code").GetInt32());
        var success = app.Events.Events.Single(x => x.Property("feature_name") == "export_report");
        Assert.Equal("success", success.Property("outcome"));
    }

    [Fact]
    public async Task Capture_RouteQueryAndBodyValues_RightAndHostileValuesBoundedOrSkipped()
    {
        await using var app = await FeatureTestApp.StartAsync();
        using var skipped = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), ThriveStackMetrics.MeterName, "thrivestack.properties.skipped");
        var big = new string('x', 1024 * 1024);

        using var response = await app.Client.PostAsJsonAsync($"/t/capture/r-42?q=hello&count=7&big={big}&when=2024-01-15T10:30:00Z", new Payload("quarterly", 3));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var e = await app.Events.WaitForEventAsync(x => x.Property("feature_name") == "captured_feature");
        Assert.Equal("r-42", e.Property("id"));
        Assert.Equal("hello", e.Property("q"));
        Assert.Equal(7, e.Properties.GetProperty("count").GetInt32());
        Assert.Equal(256, e.Property("big")!.Length);
        Assert.Equal("2024-01-15T10:30:00Z", e.Property("when"));
        Assert.False(e.Properties.TryGetProperty("nothing", out _));
        Assert.False(e.Properties.TryGetProperty("payload", out _));
        Assert.False(e.Properties.TryGetProperty("missing", out _));
        // "nothing" was not sent, so MVC binds no value for it; "missing" names no parameter; "payload" is an object.
        var reasons = skipped.GetMeasurementSnapshot().Select(m => (string)m.Tags["reason"]!).Order().ToList();
        Assert.Equal(["missing", "missing", "unsupported"], reasons);
    }

    [Fact]
    public async Task Capture_FormBoundArguments_AndTrackEventName()
    {
        await using var app = await FeatureTestApp.StartAsync();

        (await app.Client.PostAsync("/t/form", new FormUrlEncodedContent(new Dictionary<string, string> { ["note"] = "call back", ["pinned"] = "true" }))).Dispose();

        var e = await app.Events.WaitForEventAsync(x => x.EventName == "note_added");
        Assert.Equal("call back", e.Property("note"));
        Assert.True(e.Properties.GetProperty("pinned").GetBoolean());
        Assert.Equal(ContractExamples.UserId, e.UserId);
        Assert.Equal(ContractExamples.GroupId, e.GroupId);
    }

    [Fact]
    public async Task FeatureAndEventOnOneAction_OneOfEach()
    {
        await using var app = await FeatureTestApp.StartAsync();

        (await app.Client.PostAsync("/t/both", null)).Dispose();

        var events = await app.SentinelAsync();
        Assert.Equal(["feature_used", "report_shared"], events.Select(e => e.EventName).Order());
    }

    [Fact]
    public async Task RouteGroupAndEndpoint_MostSpecificWins_OneEventPerRequest()
    {
        await using var app = await FeatureTestApp.StartAsync();

        (await app.Client.PostAsync("/m/plain", null)).Dispose();
        (await app.Client.PostAsync("/m/own", null)).Dispose();

        var events = await app.SentinelAsync();
        Assert.Equal(["group_feature", "own_feature"], events.Select(e => e.Property("feature_name")).Order());
        Assert.Equal("secondary", events.Single(e => e.Property("feature_name") == "own_feature").Property("feature_type"));
    }

    [Fact]
    public async Task Startup_UnconventionalTrackedNames_ReportedOnceEach()
    {
        await using var app = await FeatureTestApp.StartAsync(endpoints: a =>
        {
            a.MapPost("/x1", () => Results.Ok()).TrackEvent("SignUp");
            a.MapPost("/x2", () => Results.Ok()).TrackEvent("SignUp");
            a.MapPost("/x3", () => Results.Ok()).TrackFeature("Export Report", "premium");
        });

        var problems = app.Logs.GetSnapshot().Where(r => r.Id.Id == LogEvents.TrackedNameInvalid).Select(r => r.Message).ToList();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'SignUp'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Export Report' is not snake_case", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("feature type 'premium'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_UnconventionalTrackedNamesInStrictMode_FailsStartup()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => FeatureTestApp.StartAsync(
            o => o.StrictEventNames = true,
            a => a.MapPost("/x", () => Results.Ok()).TrackEvent("SignUp")));

        Assert.Contains("'SignUp'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData(double.NaN, "unsupported")]
    public void Simple_NullOrNonFiniteValue_Skipped(object? value, string reason)
        => Assert.Equal(reason, ThriveStack.AutoTrack.Features.FeatureEventEmitter.Simple(value).Problem);

    [Fact]
    public void Simple_SimpleValues_KeptAndBounded()
    {
        Assert.Equal(new string('y', 256), ThriveStack.AutoTrack.Features.FeatureEventEmitter.Simple(new string('y', 5000)).Value);
        Assert.Equal("Monday", ThriveStack.AutoTrack.Features.FeatureEventEmitter.Simple(DayOfWeek.Monday).Value);
        Assert.Equal(12.5m, ThriveStack.AutoTrack.Features.FeatureEventEmitter.Simple(12.5m).Value);
        Assert.Equal("ed1adb3a-9772-48ef-b620-e5e6d438fb82", ThriveStack.AutoTrack.Features.FeatureEventEmitter.Simple(Guid.Parse("ed1adb3a-9772-48ef-b620-e5e6d438fb82")).Value);
    }
}
