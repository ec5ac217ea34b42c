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
/// <remarks>Run: <c>dotnet run -c Release --project tests/ThriveStack.AutoTrack.Benchmarks -- throughput</c>.</remarks>
internal static class DispatcherThroughput
{
    public static async Task RunAsync(int events)
    {
        Console.WriteLine($"Dispatcher throughput, {events:N0} events per run, BatchSize 100 (the default), one request in flight");
        Console.WriteLine("producers | delivered events/s | CPU ms per 1,000 events | requests | mean batch");
        foreach (var producers in new[] { 1, 8, 1, 8 })
            await RunOnceAsync(producers, events);
    }

    private static async Task RunOnceAsync(int producers, int events)
    {
        await using var collector = await ThriveStackCollector.StartAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddThriveStack(o =>
        {
            o.Endpoint = collector.Endpoint;
            o.ApiKey = collector.ApiKey;
            o.MaxQueueSize = 1_000_000;
            o.Durability = EventDurability.Memory;
            o.FlushInterval = TimeSpan.FromMilliseconds(200);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IThriveStackTracker>();

        // Warm up: JIT, connection, collector.
        Produce(tracker, 1, 20_000, offset: 0);
        await tracker.FlushAsync();
        collector.Clear();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() => Produce(tracker, 1, events / producers, offset: p * (events / producers)))));
        await collector.WaitForEventsAsync(events / producers * producers, TimeSpan.FromMinutes(5));
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var delivered = collector.Events.Count;
        var batches = collector.Batches.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{producers,9} | {delivered / clock.Elapsed.TotalSeconds,18:N0} | {cpu.TotalMilliseconds / delivered * 1000,23:N1} | {batches,8:N0} | {(double)delivered / batches,10:N1}"));
        await host.StopAsync();
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
