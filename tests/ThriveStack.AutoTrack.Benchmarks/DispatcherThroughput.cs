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
        Console.WriteLine($"Dispatcher throughput, {events:N0} events per run, BatchSize {new ThriveStackOptions().BatchSize} (the default), " +
            (endpoint is null ? "to the loopback collector in this process"
                : endpoint == NoopEndpoint ? "to an in-process HTTP handler that answers 200 at once (no network, no parsing)"
                : $"to {endpoint} (CPU of this process only)"));
        Console.WriteLine("producers | delivered events/s | CPU ms per 1,000 events | requests | mean batch");
        foreach (var producers in new[] { 1, 4, 1, 4 })
            await RunOnceAsync(producers, events, endpoint);
    }

    /// <summary><c>-- throughput [events] noop</c>: the HTTP client's handler answers every request itself, as the comparison with PostHog's client measured.</summary>
    public static readonly Uri NoopEndpoint = new("https://noop.invalid/api/track");

    /// <summary>Answers every request with the track API's 200 and a JSON body, without reading it.</summary>
    private sealed class NoopHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent("{\"success\":true}", System.Text.Encoding.UTF8, "application/json"),
            });
    }

    /// <summary>
    /// Events tracked at a steady rate, as a busy web app produces them (a few every millisecond), not in a burst:
    /// what the dispatcher costs per event when it has to wait for its batches to fill. For each batch size, and with
    /// tracking disabled (the producer loop alone), reports the process CPU per 1,000 events.
    /// </summary>
    /// <remarks>
    /// Run: <c>... -- paced [events/s] [seconds] [endpoint] [batch sizes, comma-separated; 0 is tracking off]</c>; rounds
    /// alternate the batch sizes.
    /// </remarks>
    public static async Task RunPacedAsync(int rate, int seconds, Uri endpoint, int?[]? batchSizes = null)
    {
        Console.WriteLine($"Paced dispatcher cost: {rate:N0} events/s for {seconds} s per run to {endpoint} (CPU of this process only)");
        Console.WriteLine("batch size | delivered events/s | CPU ms per 1,000 events | requests");
        var sizes = batchSizes ?? [null, 100, 250, 500, 1000];
        for (var round = 0; round < 3; round++)
        {
            foreach (var size in sizes)
                await RunPacedOnceAsync(size, rate, seconds, endpoint);
        }
    }

    private static async Task RunPacedOnceAsync(int? batchSize, int rate, int seconds, Uri endpoint)
    {
        using var host = await StartAsync(null, endpoint, o =>
        {
            o.Enabled = batchSize is not null;
            o.BatchSize = batchSize ?? o.BatchSize;
            o.FlushInterval = TimeSpan.FromSeconds(5);
        });
        var tracker = host.Services.GetRequiredService<IThriveStackTracker>();
        await PaceAsync(tracker, rate, 2); // warm-up: JIT, connection
        await tracker.FlushAsync();

        var run = await MeasureAsync(tracker, () => PaceAsync(tracker, rate, seconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(batchSize is { } b ? b.ToString(CultureInfo.InvariantCulture) : "off"),10} | {run.DeliveredPerSecond,18:N0} | {run.Cpu.TotalMilliseconds / run.Tracked * 1000,23:N2} | {run.Batches,8:N0}"));
        await host.StopAsync();
    }

    /// <summary>Runs <paramref name="produce"/>, flushes, and reports the process CPU and what the dispatcher delivered meanwhile.</summary>
    private static async Task<RunFigures> MeasureAsync(IThriveStackTracker tracker, Func<Task<long>> produce)
    {
        using var metrics = new DeliveredEvents();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var tracked = await produce();
        await tracker.FlushAsync();
        clock.Stop();
        process.Refresh();
        return new RunFigures(tracked, metrics.Events, metrics.Batches, process.TotalProcessorTime - cpuBefore, clock.Elapsed);
    }

    private readonly record struct RunFigures(long Tracked, long Delivered, long Batches, TimeSpan Cpu, TimeSpan Elapsed)
    {
        public double DeliveredPerSecond => Delivered / Elapsed.TotalSeconds;
    }

    /// <summary>Creates and tracks events at <paramref name="rate"/> per second, a millisecond's worth at a time.</summary>
    private static Task<long> PaceAsync(IThriveStackTracker tracker, int rate, int seconds) => Task.Factory.StartNew(() =>
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; done < due; done++)
                tracker.Track(NewEvent(done));
            Thread.Sleep(1);
        }
        return done;
    }, TaskCreationOptions.LongRunning);

    private static async Task<IHost> StartAsync(ThriveStackCollector? collector, Uri? endpoint, Action<ThriveStackOptions>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (endpoint == NoopEndpoint)
            builder.Services.AddHttpClient(ThriveStack.AutoTrack.Dispatch.HttpBatchTransport.ClientName).ConfigurePrimaryHttpMessageHandler(() => new NoopHandler());
        builder.Services.AddThriveStack(o =>
        {
            o.Endpoint = collector?.Endpoint ?? endpoint;
            o.ApiKey = collector?.ApiKey ?? "load-test";
            o.MaxQueueSize = 1_000_000;
            o.Durability = EventDurability.Memory;
            o.FlushInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task RunOnceAsync(int producers, int events, Uri? endpoint)
    {
        await using var collector = endpoint is null ? await ThriveStackCollector.StartAsync() : null;
        using var host = await StartAsync(collector, endpoint);
        var tracker = host.Services.GetRequiredService<IThriveStackTracker>();

        // Warm up: JIT, connection, collector.
        Produce(tracker, 1, 20_000, offset: 0);
        await tracker.FlushAsync();

        var run = await MeasureAsync(tracker, async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() => Produce(tracker, 1, events / producers, offset: p * (events / producers)))));
            return events;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{producers,9} | {run.DeliveredPerSecond,18:N0} | {run.Cpu.TotalMilliseconds / Math.Max(1, run.Delivered) * 1000,23:N1} | {run.Batches,8:N0} | {(double)run.Delivered / Math.Max(1, run.Batches),10:N1}"));
        await host.StopAsync();
    }

    /// <summary>Counts what the dispatcher reports delivered, from its meter.</summary>
    private sealed class DeliveredEvents : IDisposable
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

        public void Dispose() => _listener.Dispose();
    }

    private static ThriveStackEvent NewEvent(long i)
    {
        var e = new ThriveStackEvent("report_exported", "user-" + (i % 1000).ToString(CultureInfo.InvariantCulture))
            .WithProperty("format", "csv")
            .WithProperty("rows", i);
        e.GetOrCreateContext().GroupId = "account-42";
        return e;
    }

    private static void Produce(IThriveStackTracker tracker, int step, int count, int offset)
    {
        for (var i = 0; i < count; i += step)
        {
            var e = NewEvent(offset + i);
            while (!tracker.Track(e))
                Thread.Yield(); // the queue is full: wait for the dispatcher rather than drop
        }
    }
}
