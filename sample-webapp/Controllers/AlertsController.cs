using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Features;

namespace SampleWebApp.Controllers;

/// <summary>Alerts: a controller-level feature (every action is "alerts"); an action's own attribute wins.</summary>
[Authorize]
[Route("alerts")]
[TrackFeature("alerts", FeatureType = FeatureTypes.Secondary)]
public sealed class AlertsController : Controller
{
    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public IActionResult Create(string metric, decimal threshold)
        => metric.Length == 0 ? BadRequest() : Redirect("/dashboard");

    [HttpPost("{id:int}/mute")]
    [ValidateAntiForgeryToken]
    [TrackFeature("alerts", FeatureType = FeatureTypes.Secondary, SubFeature = "mute", Properties = ["id"])]
    public IActionResult Mute(int id) => Redirect("/dashboard");
}
