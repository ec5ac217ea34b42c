using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Events;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Features;

/// <summary>MVC controllers and minimal APIs with tracked features, without the page-visit middleware.</summary>
internal sealed class FeatureTestApp(WebApplication app) : TestAppHost(app)
{
    public static async Task<FeatureTestApp> StartAsync(Action<ThriveStackOptions>? configure = null, Action<WebApplication>? endpoints = null)
    {
        var builder = TestWebApp.CreateBuilder(configure);
        builder.Services.AddControllers().AddApplicationPart(typeof(FeatureTestController).Assembly);
        var app = builder.Build();
        // Signed in as the user of the API documentation's examples, an admin of its account.
        app.Use((http, next) =>
        {
            http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, ContractExamples.UserId),
                new Claim("group_id", ContractExamples.GroupId),
                new Claim(ClaimTypes.Role, "admin"),
            ], "test"));
            return next(http);
        });
        app.MapControllers();
        var group = app.MapGroup("/m").TrackFeature("group_feature");
        group.MapPost("/plain", () => Results.Ok());
        group.MapPost("/own", () => Results.Ok()).TrackFeature("own_feature", FeatureTypes.Secondary);
        group.MapPost("/throw", IResult () => throw new InvalidOperationException("boom"));
        group.MapPost("/bad", () => Results.BadRequest());
        endpoints?.Invoke(app);
        await app.StartAsync();
        return new FeatureTestApp(app);
    }

    public async Task<IReadOnlyList<ReceivedEvent>> SentinelAsync()
    {
        (await Client.PostAsync("/t/export", null)).Dispose();
        await Events.WaitForEventAsync(e => e.Property("feature_name") == "export_report");
        return Events.Events.Where(e => e.Property("feature_name") != "export_report").ToList();
    }
}

public sealed record Payload(string Name, int Size);

[Route("t")]
public sealed class FeatureTestController : ControllerBase
{
    [HttpPost("export")]
    [TrackFeature("export_report", FeatureType = FeatureTypes.Core)]
    public IActionResult Export() => Ok();

    [HttpPost("throw")]
    [TrackFeature("broken_feature")]
    public IActionResult Throw() => throw new InvalidOperationException("boom");

    [HttpPost("bad")]
    [TrackFeature("bad_feature")]
    public IActionResult Bad() => BadRequest();

    [HttpPost("fail")]
    [TrackFeature("failing_feature")]
    public IActionResult Fail() => StatusCode(500);

    [HttpPost("capture/{id}")]
    [TrackFeature("captured_feature", Properties = ["id", "q", "count", "big", "nothing", "payload", "missing", "when"])]
    public IActionResult Capture(string id, [FromQuery] string? q, [FromQuery] int count, [FromQuery] string? big,
        [FromQuery] string? nothing, [FromBody] Payload payload, [FromQuery] DateTimeOffset? when) => Ok();

    [HttpPost("form")]
    [TrackEvent("note_added", Properties = ["note", "pinned"])]
    public IActionResult Form([FromForm] string note, [FromForm] bool pinned) => Ok();

    [HttpPost("both")]
    [TrackFeature("both_feature")]
    [TrackEvent("report_shared")]
    public IActionResult Both() => Ok();
}
