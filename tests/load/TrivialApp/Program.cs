// The load test's trivial page (tests/load/run.sh, MODE=trivial): a 2 KB HTML page from a minimal API, so that what
// AutoTrack costs is not hidden behind what the page itself costs. TRACKING=on adds AutoTrack's two lines; TRACKING=off
// (the default) is the same app without them.
var tracking = Environment.GetEnvironmentVariable("TRACKING") == "on";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (tracking)
    builder.Services.AddThriveStack();

var app = builder.Build();
if (tracking)
    app.UseThriveStackTracking();

var page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pricing</title></head><body><main>"
    + string.Concat(Enumerable.Range(0, 42).Select(i => $"<p>Plan {i}: everything a growing team needs.</p>"))
    + "</main></body></html>";
app.MapGet("/pricing", () => Results.Content(page, "text/html; charset=utf-8"));
app.MapGet("/health", () => "ok");
app.Run();
