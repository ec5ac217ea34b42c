using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>What the collector answers, shaped as the track API's answers: accepted (with or without warnings), an error, or a page that is not the API.</summary>
internal static class CollectorAnswers
{
    /// <summary>The API's answer to an accepted batch.</summary>
    public static string Accepted() => $$"""{"success":true,"eventId":"evt_{{Guid.NewGuid():N}}"}""";

    /// <summary>An accepted batch's answer with <c>warnings</c> and a <c>documentation</c> URL.</summary>
    public static string Warnings(IReadOnlyList<string> warnings, string? documentation)
    {
        var json = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", true);
            writer.WriteString("eventId", "evt_" + Guid.NewGuid().ToString("N"));
            writer.WriteStartArray("warnings");
            foreach (var warning in warnings)
                writer.WriteStringValue(warning);
            writer.WriteEndArray();
            if (documentation is not null)
                writer.WriteString("documentation", documentation);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>An error answer: <c>success: false</c> and the reason.</summary>
    public static Task Error(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync($$"""{"success":false,"error":"{{JsonEncodedText.Encode(message)}}"}""");
    }

    /// <summary>A 200 page that is not the API (a proxy's or captive portal's).</summary>
    public static Task Page(HttpResponse response, string contentType)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        return response.WriteAsync("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Not the track API.</body></html>");
    }

    /// <summary>What a fault that refuses the whole request answers: its status (with <c>Retry-After</c>), a redirect, or a page that is not the API.</summary>
    public static Task Fault(HttpResponse response, CollectorFault fault)
    {
        if (fault.RetryAfter is not null)
            response.Headers.RetryAfter = fault.RetryAfter;
        if (fault.Location is not null)
        {
            response.StatusCode = fault.StatusCode;
            response.Headers.Location = fault.Location;
            return Task.CompletedTask;
        }
        return fault.ContentType is not null ? Page(response, fault.ContentType) : Error(response, fault.StatusCode, "injected fault");
    }
}
