using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddThriveStack();

// Zero configuration: without an API key, events go to a collector inside this process and show at /_thrivestack/events.
ThriveStackCollector? devCollector = null;
if (string.IsNullOrWhiteSpace(builder.Configuration["ThriveStack:ApiKey"]))
    devCollector = await builder.AddThriveStackDevCollectorAsync();

var app = builder.Build();

app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(devCollector is null
    ? "ThriveStack: events go to {Endpoint} (ThriveStack:Endpoint)."
    : "ThriveStack: no API key configured, so events go to the in-process collector at {Endpoint}; see them at /_thrivestack/events.",
    devCollector?.Endpoint.ToString() ?? builder.Configuration["ThriveStack:Endpoint"] ?? "the default ThriveStack endpoint"));

app.MapGet("/", () => Results.Content("""
    <!doctype html>
    <html><head><meta charset="utf-8"><title>AutoTrack sample</title></head>
    <body>
      <h1>AutoTrack sample</h1>
      <form method="post" action="/signup">
        <input name="email" type="email" placeholder="you@example.com" required>
        <button>Sign up</button>
      </form>
      <p><a href="/_thrivestack/events">Events sent</a></p>
    </body></html>
    """, "text/html"));

app.MapPost("/signup", (HttpRequest request, IThriveStackTracker tracker) =>
{
    var email = request.Form["email"].ToString();
    var userId = Guid.NewGuid().ToString();
    tracker.TrackSignedUp(userId, email);
    return Results.Redirect("/");
}).DisableAntiforgery();

app.MapGet("/_thrivestack/events", () => devCollector is null
    ? Results.Text("Events are sent to the configured ThriveStack endpoint, not collected here.")
    : Results.Text(
        "[" + string.Join(",", devCollector.Events.Reverse().Select(e => e.Json.GetRawText())) + "]",
        "application/json"));

app.MapGet("/health", () => "ok");

app.Run();

/// <summary>The sample's entry point, visible to <c>WebApplicationFactory</c>.</summary>
public partial class Program;
