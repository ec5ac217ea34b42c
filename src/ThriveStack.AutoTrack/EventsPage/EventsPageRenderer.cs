using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.EventsPage;

/// <summary>The events page as HTML (events, identify and group records, newest first, contract problems highlighted) and as a JSON array.</summary>
internal static class EventsPageRenderer
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Self-contained: the app's own stylesheet and scripts are not assumed (no script at all; a meta refresh).
    private const string Style = """
        body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7fb;color:#1d2130}
        main{max-width:960px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 8px}
        code{background:#eef0ff;border-radius:4px;padding:1px 5px}
        .events{display:grid;gap:12px;margin-top:16px}
        .event{background:#fff;border:1px solid #e5e7ef;border-radius:10px;padding:12px 16px}
        .event.invalid{border-color:#d92d20;background:#fef3f2}
        .event header{display:flex;justify-content:space-between;gap:12px;font-weight:600}
        .event pre{margin:8px 0 0;white-space:pre-wrap;word-break:break-all;font-size:13px}
        .problems{color:#d92d20;margin:6px 0 0}
        .pill{font-size:12px;font-weight:500;border-radius:999px;padding:2px 8px;background:#eef0ff;color:#4f46e5;margin-left:6px}
        """;

    public static string Html(IReadOnlyList<LocalEvent> events, LocalEventLog log, ThriveStackOptions options, IReadOnlyList<ApiWarning> warnings)
    {
        var html = new StringBuilder(1024 + events.Count * 512);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>Events sent · AutoTrack</title><style>").Append(Style)
            .Append("</style></head><body><main><h1>Events sent</h1><p>");
        if (log.IsLocalDelivery)
        {
            html.Append("No API key is configured, so in Development the app keeps its events here instead of sending them. ")
                .Append("Set <code>ThriveStack:ApiKey</code> (or <code>ThriveStack__ApiKey</code>) to send them to ThriveStack.");
        }
        else
        {
            html.Append("Events the API at <code>")
                .Append(HtmlEncoder.Default.Encode(ThriveStackOptions.Display(options.Endpoint ?? ThriveStackOptions.DefaultEndpoint)))
                .Append("</code> accepted since this page was mapped.");
        }
        html.Append(CultureInfo.InvariantCulture, $" {log.Received} received; the newest {Math.Min(events.Count, log.Capacity)} below, newest first. ")
            .Append("This page refreshes every 2 seconds; <a href=\"events.json\">as JSON</a>.</p>");
        if (warnings.Count > 0)
        {
            html.Append("<h2>Warnings from the API</h2><ul class=\"problems\">");
            foreach (var warning in warnings)
            {
                html.Append("<li>").Append(HtmlEncoder.Default.Encode(warning.Text))
                    .Append(CultureInfo.InvariantCulture, $" ({warning.Count}×)");
                if (warning.Documentation is { } url && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "https" or "http")
                    html.Append(" <a href=\"").Append(HtmlEncoder.Default.Encode(link.AbsoluteUri)).Append("\">documentation</a>");
                html.Append("</li>");
            }
            html.Append("</ul>");
        }
        html.Append("<div class=\"events\">");

        foreach (var e in events)
        {
            var problems = e.Kind == RecordKind.Track ? TrackContractRules.ValidateEvent(e.Json) : TraitsContractRules.ValidateRecord(e.Kind, e.Json);
            html.Append(problems.Count > 0 ? "<div class=\"event invalid\">" : "<div class=\"event\">").Append("<header><span>")
                .Append(HtmlEncoder.Default.Encode(Title(e)));
            if (e.Kind != RecordKind.Track)
                html.Append("<span class=\"pill\">").Append(e.Kind.Name()).Append("</span>");
            else if (e.Json.TryGetProperty("context", out var context) && StringOf(context, "source") is { } source)
                html.Append("<span class=\"pill\">").Append(HtmlEncoder.Default.Encode(source)).Append("</span>");
            html.Append("</span><span>").Append(HtmlEncoder.Default.Encode(StringOf(e.Json, "timestamp") ?? "")).Append("</span></header>");
            var concerning = e.Kind == RecordKind.Track ? Concerning(warnings, StringOf(e.Json, "event_name")) : [];
            if (problems.Count > 0 || concerning.Count > 0)
            {
                html.Append("<ul class=\"problems\">");
                foreach (var problem in problems)
                    html.Append("<li>").Append(HtmlEncoder.Default.Encode(problem)).Append("</li>");
                foreach (var warning in concerning)
                    html.Append("<li>API warning: ").Append(HtmlEncoder.Default.Encode(warning.Text)).Append("</li>");
                html.Append("</ul>");
            }
            html.Append("<pre>").Append(HtmlEncoder.Default.Encode(IndentedJson(e.Json))).Append("</pre></div>");
        }
        return html.Append("</div></main></body></html>").ToString();
    }

    /// <summary>The records as a JSON array, newest first, each as it was sent.</summary>
    public static void Json(IEnumerable<LocalEvent> events, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        foreach (var e in events)
            e.Json.WriteTo(json);
        json.WriteEndArray();
    }

    /// <summary>
    /// The API's warnings that concern events named <paramref name="eventName"/>: those that name it as a word (the API
    /// words them like "signed_up is missing user_email"). A warning that names no event stays in the list at the top only.
    /// </summary>
    private static List<ApiWarning> Concerning(IReadOnlyList<ApiWarning> warnings, string? eventName)
    {
        var found = new List<ApiWarning>();
        if (string.IsNullOrEmpty(eventName))
            return found;
        foreach (var warning in warnings)
        {
            for (var at = warning.Text.IndexOf(eventName, StringComparison.Ordinal); at >= 0; at = warning.Text.IndexOf(eventName, at + 1, StringComparison.Ordinal))
            {
                var end = at + eventName.Length;
                if ((at == 0 || !IsNameChar(warning.Text[at - 1])) && (end == warning.Text.Length || !IsNameChar(warning.Text[end])))
                {
                    found.Add(warning);
                    break;
                }
            }
        }
        return found;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>An event's name; who an identify record is about; which group a group record is about.</summary>
    private static string Title(LocalEvent e) => e.Kind switch
    {
        RecordKind.Identify => "user " + (StringOf(e.Json, "user_id") ?? "(no user_id)"),
        RecordKind.Group => (e.Json.TryGetProperty("traits", out var traits) ? StringOf(traits, "group_type") : null) is { } type
            ? type + " " + (StringOf(e.Json, "group_id") ?? "(no group_id)")
            : "group " + (StringOf(e.Json, "group_id") ?? "(no group_id)"),
        _ => StringOf(e.Json, "event_name") ?? "(no name)",
    };

    private static string IndentedJson(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Indented))
            element.WriteTo(json);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? StringOf(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
