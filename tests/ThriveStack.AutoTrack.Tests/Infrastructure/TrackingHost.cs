using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>A generic host with AutoTrack pointed at a real loopback collector, fake logs and metric collectors.</summary>
internal sealed class TrackingHost : IAsyncDisposable
{
    private TrackingHost(IHost host, string spoolDirectory)
    {
        SpoolDirectory = spoolDirectory;
        Host = host;
        Tracker = host.Services.GetRequiredService<IThriveStackTracker>();
        Logs = host.Services.GetFakeLogCollector();
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        Dropped = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.dropped");
        Sent = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.sent");
        Enqueued = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.enqueued");
        Batches = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.batches.sent");
        Duration = new MetricCollector<double>(meters, ThriveStackMetrics.MeterName, "thrivestack.batch.duration");
        QueueLength = new MetricCollector<int>(meters, ThriveStackMetrics.MeterName, "thrivestack.queue.length");
    }

    public IHost Host { get; }

    /// <summary>A directory of this host's own, where its spool lives unless the test sets another path; deleted on dispose.</summary>
    public string SpoolDirectory { get; }

    public EventDispatcher Dispatcher => Host.Services.GetRequiredService<EventDispatcher>();
    public IThriveStackTracker Tracker { get; }
    public FakeLogCollector Logs { get; }
    public MetricCollector<long> Dropped { get; }
    public MetricCollector<long> Sent { get; }
    public MetricCollector<long> Enqueued { get; }
    public MetricCollector<long> Batches { get; }
    public MetricCollector<double> Duration { get; }
    public MetricCollector<int> QueueLength { get; }

    /// <summary>Builds the host; starts it unless <paramref name="start"/> is false.</summary>
    public static async Task<TrackingHost> CreateAsync(
        ThriveStackCollector? collector,
        Action<ThriveStackOptions>? configure = null,
        TimeProvider? time = null,
        bool start = true)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        if (time is not null)
            builder.Services.AddSingleton(time);
        var spoolDirectory = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"));
        builder.Services.AddThriveStack(o =>
        {
            o.SpoolPath = Path.Combine(spoolDirectory, "spool.db");
            if (collector is not null)
            {
                o.Endpoint = collector.Endpoint;
                o.ApiKey = collector.ApiKey;
            }
            configure?.Invoke(o);
        });
        var host = new TrackingHost(builder.Build(), spoolDirectory);
        if (start)
            await host.Host.StartAsync();
        return host;
    }

    public long DroppedFor(string reason)
        => Dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], reason)).Sum(m => m.Value);

    public IEnumerable<FakeLogRecord> LogsWithId(int eventId)
        => Logs.GetSnapshot().Where(r => r.Id.Id == eventId && r.Category?.StartsWith("ThriveStack.", StringComparison.Ordinal) == true);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(TimeSpan.FromSeconds(10));
        }
        catch (ObjectDisposedException)
        {
        }
        Dropped.Dispose();
        Sent.Dispose();
        Enqueued.Dispose();
        Batches.Dispose();
        Duration.Dispose();
        QueueLength.Dispose();
        if (Host is IAsyncDisposable d)
            await d.DisposeAsync();
        else
            Host.Dispose();
        try
        {
            if (Directory.Exists(SpoolDirectory))
                Directory.Delete(SpoolDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
