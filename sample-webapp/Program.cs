using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using SampleWebApp;
using SampleWebApp.Services;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllersWithViews();
builder.Services.AddRazorPages();
builder.Services.AddRazorComponents(); // the Blazor section under /insights (static rendering, enhanced navigation)
builder.Services.AddSingleton<DemoDirectory>();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o =>
    {
        o.LoginPath = "/account/login";
        o.Cookie.Name = "sample_auth";
    });
// The events page outside Development needs a policy; the demo's lets anyone in (yours should not).
builder.Services.AddAuthorization(o => o.AddPolicy("EventsPage", p => p.RequireAssertion(_ => true)));
builder.Services.AddHealthChecks();

// AutoTrack: options from the "ThriveStack" section (appsettings.json, ThriveStack__ApiKey, ...).
builder.Services.AddThriveStack(o =>
{
    o.Identity.MarketingPathPrefixes.Add("/pricing");
});

// Zero configuration: without an API key, in Development AutoTrack keeps the events in the app for the events page, as it
// does in yours. Run in another environment without a key, the sample sends them to the testing kit's collector inside
// the process instead, so the demo still works.
var devCollector = !builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["ThriveStack:ApiKey"])
    ? builder.AddThriveStackDevCollector()
    : null;

var app = builder.Build();

if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error");
app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<UtmCookieMiddleware>();
app.UseThriveStackTracking();
app.UseAntiforgery();

app.MapControllers();
app.MapRazorPages();
app.MapRazorComponents<SampleWebApp.Components.App>();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = ThriveStackHealthResponse.WriteAsync }); // AutoTrack's "thrivestack" check with its data

var api = app.MapGroup("/api").RequireAuthorization();
api.MapPost("/reports/{id:int}/share", (int id, string? channel) => Results.Ok(new { shared = id, channel }))
    .TrackFeature("share_report", properties: ["id", "channel"])
    .TrackEvent("report_shared", "id");

// A whole route group is one feature: every successful call to it is a feature_used.
var insights = api.MapGroup("/insights").TrackFeature("insights", FeatureTypes.AddOn);
insights.MapGet("/summary", () => Results.Ok(new { visitors = 1234, conversion = 0.031 }));
insights.MapGet("/trends/{metric}", (string metric) => metric == "unknown"
    ? Results.BadRequest(new { error = "unknown metric" })
    : Results.Ok(new { metric, trend = "up" }));

// The single-page section: one shell for every /app route; the browser routes between them (wwwroot/js/spa.js).
app.MapGet("/app/{**route}", () => Results.Content(SpaShell.Html, "text/html; charset=utf-8"));

// Shows that an error page is not a page visit, whatever the app renders for it.
app.MapGet("/demo/fail", () => { throw new InvalidOperationException("A demo failure."); });

// What the app sent, at /_thrivestack/events: on in Development; elsewhere only behind a policy.
app.MapThriveStackEvents(app.Environment.IsDevelopment() ? null : "EventsPage");

if (devCollector is not null)
{
    app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
        "ThriveStack: no API key configured, so events go to the in-process collector at {Endpoint}; see them at /_thrivestack/events.",
        devCollector.Endpoint));
}

app.Run();

/// <summary>The sample's entry point, visible to <c>WebApplicationFactory</c>.</summary>
public partial class Program;
