using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// A cheap track API for load tests: reads each batch, counts its events and answers 200, without parsing or keeping
/// them, so the machine's CPU goes to the app under test rather than to a collector that in production runs elsewhere.
/// <c>GET /stats</c> returns the counts.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- sink 5099</c>.</remarks>
internal static class LoadSink
{
    /// <param name="port">The loopback port.</param>
    /// <param name="delayMs">How long each answer waits after the body is read: a distant API's round trip and processing.</param>
    public static async Task RunAsync(int port, int delayMs = 0)
    {
        long requests = 0, events = 0, bytes = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        app.MapPost("/api/track", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            long count = 0, length = 0;
            int read, carried = 0;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(carried))) > 0)
            {
                length += read;
                var filled = carried + read;
                count += CountEvents(buffer.AsSpan(0, filled));
                // Keep a key's worth of bytes but one, so a key split across two reads is counted once, in the next.
                carried = Math.Min(filled, EventKey.Length - 1);
                buffer.AsSpan(filled - carried, carried).CopyTo(buffer);
            }
            Interlocked.Increment(ref requests);
            Interlocked.Add(ref events, count);
            Interlocked.Add(ref bytes, length);
            if (delayMs > 0)
                await Task.Delay(delayMs);
            return Results.Text("""{"success":true,"eventId":"evt_sink"}""", "application/json");
        });
        app.MapGet("/stats", () => Results.Json(new Dictionary<string, long>
        {
            ["requests"] = Interlocked.Read(ref requests),
            ["events"] = Interlocked.Read(ref events),
            ["bytes"] = Interlocked.Read(ref bytes),
        }));
        Console.WriteLine($"sink listening on http://127.0.0.1:{port}/api/track" + (delayMs > 0 ? $", answering after {delayMs} ms" : ""));
        await app.RunAsync();
    }

    private static ReadOnlySpan<byte> EventKey => "\"event_name\""u8;

    /// <summary>Every event object starts with its name: count the <c>"event_name"</c> keys.</summary>
    private static int CountEvents(ReadOnlySpan<byte> chunk)
    {
        var count = 0;
        for (var at = chunk.IndexOf(EventKey); at >= 0; at = chunk.IndexOf(EventKey))
        {
            count++;
            chunk = chunk[(at + 1)..];
        }
        return count;
    }
}
