using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Readme;

/// <summary>
/// The README's table of what AutoTrack sends by itself, held to what is sent: every property of a richly-known
/// request is documented, every documented property is sent when known, and the "always" ones are in every event.
/// </summary>
public sealed partial class ReadmeEventTablesTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task PageVisit_PropertiesAreTheDocumentedOnes()
    {
        var row = Row("`page_visit`");
        await using var app = await StartAsync();

        var rich = await app.EventOfAsync("/page?utm_source=a&utm_medium=b&utm_campaign=c&utm_term=d&utm_content=e", "page_visit",
            referrer: "https://news.example.com/post", title: "Pricing");
        var plain = await app.EventOfAsync("/page", "page_visit");

        Assert.Equal(row.Always.Union(row.WhenKnown).Order(), Names(rich).Order());
        Assert.Superset(row.Always.ToHashSet(), Names(plain).ToHashSet());
        Assert.Subset(row.Always.Union(row.WhenKnown).ToHashSet(), Names(plain).ToHashSet());
    }

    [Fact]
    public async Task FeatureUsed_PropertiesAreTheDocumentedOnes()
    {
        var row = Row("`feature_used`");
        await using var app = await StartAsync(trackFailures: true);

        var rich = await app.EventOfAsync("/reports/7/export", "feature_used", method: "POST", signedInWithRole: "admin");
        var failed = await app.EventOfAsync("/reports/0/export", "feature_used", method: "POST", signedInWithRole: "admin", expectSuccess: false);

        // "the names in Properties": the endpoint names "id". A failure adds status_code.
        Assert.Equal(row.Always.Union(row.WhenKnown).Append("id").Order(), Names(rich).Union(Names(failed)).Order());
        Assert.Equal(["status_code"], Names(failed).Except(Names(rich)));
    }

    [Fact]
    public async Task FeatureUsed_WithoutTypeOrRole_OnlyTheAlwaysOnes()
    {
        var row = Row("`feature_used`");
        await using var app = await StartAsync();

        var plain = await app.EventOfAsync("/plain", "feature_used", method: "POST");

        Assert.Equal(row.Always.Order(), Names(plain).Order());
    }

    [Fact]
    public async Task TrackEvent_PropertiesAreTheDocumentedOnes()
    {
        var row = Row("your name");
        await using var app = await StartAsync(trackFailures: true);

        var rich = await app.EventOfAsync("/reports/7/share", "report_shared", method: "POST");
        var failed = await app.EventOfAsync("/reports/0/share", "report_shared", method: "POST", expectSuccess: false);

        Assert.Empty(row.Always);
        Assert.Equal(row.WhenKnown.Append("id").Order(), Names(rich).Union(Names(failed)).Order());
    }

    private static IEnumerable<string> Names(ReceivedEvent e) => e.Properties.EnumerateObject().Select(p => p.Name);

    private sealed record TableRow(IReadOnlyList<string> Always, IReadOnlyList<string> WhenKnown);

    /// <summary>The row of the README's <c>events:automatic</c> table whose first cell is <paramref name="firstCell"/>.</summary>
    private static TableRow Row(string firstCell)
    {
        var readme = File.ReadAllLines(FindReadme());
        var start = Array.FindIndex(readme, l => l.Trim() == "<!-- events:automatic -->");
        Assert.True(start >= 0, "README.md has no <!-- events:automatic --> table");
        var line = readme.Skip(start + 1).TakeWhile(l => l.StartsWith('|')).Single(l => l.StartsWith("| " + firstCell + " |", StringComparison.Ordinal));
        var cells = line.Trim('|').Split(" | ");
        return new TableRow(PropertyNames(cells[3]), PropertyNames(cells[4]));
    }

    /// <summary>The property names in a cell: its backticked snake_case words (not `Referer`, `Properties`, options or code).</summary>
    private static List<string> PropertyNames(string cell)
        => Backticked().Matches(cell).Select(m => m.Groups[1].Value).Where(w => PropertyName().IsMatch(w)).ToList();

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "AutoTrack.sln")))
                return path;
        }
        throw new FileNotFoundException("README.md beside AutoTrack.sln, above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex PropertyName();

    private static async Task<TableApp> StartAsync(bool trackFailures = false)
    {
        var builder = TestWebApp.CreateBuilder(o => o.Features.TrackFailures = trackFailures);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers["X-Role"] is [{ } role])
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, "u1"), new Claim(ClaimTypes.Role, role)], "test"));
            }
            return next(context);
        });
        app.UseThriveStackTracking();
        app.MapGet("/page", (HttpContext context) =>
        {
            if (context.Request.Headers["X-Title"] is [{ } title])
                context.SetThriveStackPageTitle(title);
            return Results.Content("<!doctype html><title>Page</title>", "text/html");
        });
        app.MapPost("/reports/{id:int}/export", (int id) => id > 0 ? Results.Ok(id) : Results.Conflict())
            .TrackFeature("export_report", FeatureTypes.Core, "csv", "id");
        app.MapPost("/plain", () => Results.Ok()).TrackFeature("plain_feature");
        app.MapPost("/reports/{id:int}/share", (int id) => id > 0 ? Results.Ok(id) : Results.Conflict()).TrackEvent("report_shared", "id");
        await app.StartAsync();
        return new TableApp(app);
    }

    private sealed class TableApp(WebApplication app) : TestAppHost(app)
    {
        public async Task<ReceivedEvent> EventOfAsync(string path, string eventName, string method = "GET", string? referrer = null,
            string? title = null, string? signedInWithRole = null, bool expectSuccess = true)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.UserAgent.ParseAdd(Chrome);
            request.Headers.Accept.ParseAdd("text/html");
            if (referrer is not null)
                request.Headers.Referrer = new Uri(referrer);
            if (title is not null)
                request.Headers.Add("X-Title", title);
            if (signedInWithRole is not null)
                request.Headers.Add("X-Role", signedInWithRole);
            var before = (await Events.FlushAsync()).Count;
            using var response = await Client.SendAsync(request);
            Assert.Equal(expectSuccess, response.IsSuccessStatusCode);
            var events = await Events.FlushAsync();
            return Assert.Single(events.Skip(before), e => e.EventName == eventName);
        }
    }
}
