using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// End-to-end dispatcher throughput: producers call <c>Track</c>, the dispatcher batches, serializes and posts to the
/// loopback collector, which parses and validates every batch. Reports events per second delivered and the process CPU
/// per 1,000 events (the collector's share included: it runs in this process).
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- throughput [events] [endpoint]</c>.
/// With an endpoint (the load test's sink, <c>-- sink 5099</c>, in another process), the CPU figure is the producers'
/// and the dispatcher's alone: what tracking costs an app whose track API is elsewhere.
/// </remarks>
internal static class DispatcherThroughput
{
    public static async Task RunAsync(int events, Uri? endpoint = null)
    {
        Console.WriteLine($"Dispatcher throughput, {events:N0} events per run, BatchSize 100 (the default), one request in flight, " +
            (endpoint is null ? "to the loopback collector in this process" : $"to {endpoint} (CPU of this process only)"));
        Console.WriteLine("producers | delivered events/s | CPU ms per 1,000 events | requests | mean batch");
        foreach (var producers in new[] { 1, 8, 1, 8 })
            await RunOnceAsync(producers, events, endpoint);
    }

    private static async Task RunOnceAsync(int producers, int events, Uri? endpoint)
    {
        await using var collector = endpoint is null ? await ThriveStackCollector.StartAsync() : null;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddThriveStack(o =>
        {
            o.Endpoint = collector?.Endpoint ?? endpoint;
            o.ApiKey = collector?.ApiKey ?? "load-test";
            o.MaxQueueSize = 1_000_000;
            o.Durability = EventDurability.Memory;
            o.FlushInterval = TimeSpan.FromMilliseconds(200);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IThriveStackTracker>();
        var metrics = new DeliveredEvents();

        // Warm up: JIT, connection, collector.
        Produce(tracker, 1, 20_000, offset: 0);
        await tracker.FlushAsync();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sentBefore = metrics.Events;
        var requestsBefore = metrics.Batches;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() => Produce(tracker, 1, events / producers, offset: p * (events / producers)))));
        await tracker.FlushAsync();
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var delivered = metrics.Events - sentBefore;
        var batches = metrics.Batches - requestsBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{producers,9} | {delivered / clock.Elapsed.TotalSeconds,18:N0} | {cpu.TotalMilliseconds / Math.Max(1, delivered) * 1000,23:N1} | {batches,8:N0} | {(double)delivered / Math.Max(1, batches),10:N1}"));
        await host.StopAsync();
    }

    /// <summary>Counts what the dispatcher reports delivered, from its meter.</summary>
    private sealed class DeliveredEvents
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _events;
        private long _batches;

        public DeliveredEvents()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "ThriveStack.AutoTrack" && instrument.Name is "thrivestack.events.sent" or "thrivestack.batches.sent")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "thrivestack.events.sent")
                    Interlocked.Add(ref _events, value);
                else
                    Interlocked.Add(ref _batches, value);
            });
            _listener.Start();
        }

        public long Events => Interlocked.Read(ref _events);

        public long Batches => Interlocked.Read(ref _batches);
    }

    private static void Produce(IThriveStackTracker tracker, int step, int count, int offset)
    {
        for (var i = 0; i < count; i += step)
        {
            var e = new ThriveStackEvent("report_exported", "user-" + ((offset + i) % 1000).ToString(CultureInfo.InvariantCulture))
                .WithProperty("format", "csv")
                .WithProperty("rows", offset + i);
            e.GetOrCreateContext().GroupId = "account-42";
            while (!tracker.Track(e))
                Thread.Yield(); // the queue is full: wait for the dispatcher rather than drop
        }
    }
}
