using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.AspNetCore.Diagnostics.HealthChecks;

/// <summary>
/// A JSON response writer for health checks that shows every entry with its data, AutoTrack's delivery state, queue
/// and spool sizes and last delivery among them:
/// <c>app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = ThriveStackHealthResponse.WriteAsync })</c>.
/// </summary>
public static class ThriveStackHealthResponse
{
    // Readable times ("+00:00", not "\u002B00:00"); served as JSON with nosniff, never inside HTML.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="report"/> as JSON: <c>status</c>, <c>duration_ms</c> and, under <c>checks</c>, each entry's
    /// <c>status</c>, <c>description</c>, <c>duration_ms</c>, <c>tags</c> and <c>data</c>. Exception messages are left out
    /// (they may hold secrets); the entry's description says what is wrong.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="report">The health report.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await using var json = new Utf8JsonWriter(context.Response.Body, Indented);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("duration_ms", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } description)
                json.WriteString("description", description);
            json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags)
                json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            case DateTimeOffset t: json.WriteStringValue(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTime t: json.WriteStringValue(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
            case TimeSpan s: json.WriteStringValue(s.ToString("c", CultureInfo.InvariantCulture)); break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
