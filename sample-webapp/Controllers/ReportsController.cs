using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Features;

namespace SampleWebApp.Controllers;

/// <summary>Reports: a product page, and an export that is a tracked feature.</summary>
[Authorize]
[Route("reports")]
public sealed class ReportsController : Controller
{
    public static readonly IReadOnlyList<(int Id, string Name)> Reports = [(1, "Monthly revenue"), (2, "Active users"), (3, "Churn")];

    [HttpGet("")]
    public IActionResult Index() => View(Reports);

    /// <summary>One attribute: a successful export sends feature_used with the report id and format.</summary>
    [HttpPost("export")]
    [ValidateAntiForgeryToken]
    [TrackFeature("export_report", FeatureType = FeatureTypes.Core, Properties = ["id", "format"])]
    public IActionResult Export(int id, string format = "csv")
    {
        var report = Reports.FirstOrDefault(r => r.Id == id);
        if (report.Name is null)
            return NotFound();
        var csv = $"report,{report.Name}\nformat,{format}\n";
        return File(Encoding.UTF8.GetBytes(csv), "text/csv", $"report-{id}.{format}");
    }
}
