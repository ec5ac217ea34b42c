using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ThriveStack.AutoTrack.Testing;

namespace SampleWebApp;

/// <summary><c>/_thrivestack/events</c>: what the app sent, newest first, refreshed every 2 seconds.</summary>
public static class EventsPage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void MapEventsPage(this WebApplication app, ThriveStackDevCollector? collector, IConfiguration configuration)
    {
        app.MapGet("/_thrivestack/events.json", () => collector is null
            ? Results.NotFound()
            : Results.Text("[" + string.Join(",", collector.Events.Reverse().Select(e => e.Json.GetRawText())) + "]", "application/json"))
            .DoNotTrack();

        app.MapGet("/_thrivestack/events", () => Results.Content(Render(collector, configuration), "text/html; charset=utf-8"))
            .DoNotTrack();
    }

    private static string Render(ThriveStackDevCollector? collector, IConfiguration configuration)
    {
        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
            <title>Events sent · AutoTrack</title><link rel="stylesheet" href="/css/site.css"></head><body><main>
            <h1>Events sent</h1>
            """);
        if (collector is null)
        {
            var endpoint = HtmlEncoder.Default.Encode(configuration["ThriveStack:Endpoint"] ?? "https://api.app.thrivestack.ai/api/track");
            html.Append($"<p>An API key is configured, so events are sent to <code>{endpoint}</code> and not collected here.</p>");
        }
        else
        {
            var events = collector.Events;
            var refused = collector.Batches.Where(b => b.StatusCode != 200).ToList();
            html.Append($"<p>No API key is configured, so events go to the collector inside this app at <code>{collector.Endpoint}</code>. " +
                $"{events.Count} events received; newest first; this page refreshes every 2 seconds.</p>");
            foreach (var batch in refused.AsEnumerable().Reverse())
            {
                html.Append("<div class=\"event invalid\"><header><span>Refused batch</span><span class=\"pill\">")
                    .Append(batch.StatusCode).Append("</span></header><ul class=\"problems\">");
                foreach (var problem in batch.Problems)
                    html.Append("<li>").Append(HtmlEncoder.Default.Encode(problem)).Append("</li>");
                html.Append("</ul></div>");
            }
            html.Append("<div class=\"events-list\">");
            foreach (var e in events.Reverse())
            {
                var problems = TrackContract.ValidateEvent(e.Json);
                html.Append(problems.Count > 0 ? "<div class=\"event invalid\">" : "<div class=\"event\">")
                    .Append("<header><span>").Append(HtmlEncoder.Default.Encode(e.EventName));
                if (e.Source is { Length: > 0 } source)
                    html.Append(" <span class=\"pill\">").Append(HtmlEncoder.Default.Encode(source)).Append("</span>");
                html.Append("</span><span>").Append(HtmlEncoder.Default.Encode(e.Timestamp ?? "")).Append("</span></header>");
                if (problems.Count > 0)
                {
                    html.Append("<ul class=\"problems\">");
                    foreach (var problem in problems)
                        html.Append("<li>").Append(HtmlEncoder.Default.Encode(problem)).Append("</li>");
                    html.Append("</ul>");
                }
                html.Append("<pre>").Append(HtmlEncoder.Default.Encode(JsonSerializer.Serialize(e.Json, Indented))).Append("</pre></div>");
            }
            html.Append("</div>");
        }
        html.Append("</main></body></html>");
        return html.ToString();
    }
}
