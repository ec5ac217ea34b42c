using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

[CollectionDefinition(nameof(SerialMemoryCollection), DisableParallelization = true)]
public sealed class SerialMemoryCollection;

/// <summary>A long outage at a high event rate, on a fake clock, measured alone so other tests do not move the heap.</summary>
[Collection(nameof(SerialMemoryCollection))]
public class OutageMemoryTests(ITestOutputHelper output) : CollectorTestBase
{
    [Fact]
    public async Task Outage_TenMinutesAtFiveThousandEventsPerSecond_ManagedMemoryBoundedWhileTheSpoolGrows()
    {
        const int perSecond = 5000, seconds = 600;
        const long maxSpoolBytes = 128L * 1024 * 1024;
        var time = new FakeTimeProvider();
        Collector.SetFault(CollectorFault.Status(503));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.MaxSpoolBytes = maxSpoolBytes, time);
        // The host's metric collectors keep every measurement (one per event, one per eviction); sum them here instead.
        host.Enqueued.Dispose();
        host.Dropped.Dispose();
        long spoolFull = 0, queueFull = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ThriveStackMetrics.MeterName && instrument.Name == "thrivestack.events.dropped")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason" && Equals(tag.Value, DropReasons.SpoolFull))
                    Interlocked.Add(ref spoolFull, value);
                else if (tag.Key == "reason" && Equals(tag.Value, DropReasons.QueueFull))
                    Interlocked.Add(ref queueFull, value);
            }
        });
        listener.Start();
        long baseline = 0, peak = 0;
        var spoolAt = new Dictionary<int, long>();

        for (var second = 1; second <= seconds; second++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                host.Tracker.Track(new ThriveStackEvent(StandardEvents.PageVisit, "anon-" + (i % 500))
                    .WithProperty("page_url", "https://app.example.com/reports/" + i)
                    .WithProperty("page_path", "/reports/" + i)
                    .WithProperty("browser", "Chrome")
                    .WithProperty("device_type", "desktop")
                    .WithProperty("seq", second * perSecond + i));
            }
            await host.Tracker.FlushAsync();
            time.Advance(TimeSpan.FromSeconds(1));
            if (second == 60)
                baseline = Heap();
            if (second % 60 == 0)
            {
                peak = Math.Max(peak, Heap());
                spoolAt[second] = host.Dispatcher.BacklogBytes;
                output.WriteLine($"{second / 60,2} min: heap {Heap() / 1024 / 1024} MiB, spool {host.Dispatcher.BacklogCount} events / {host.Dispatcher.BacklogBytes / 1024 / 1024} MiB, dropped as spool_full {Interlocked.Read(ref spoolFull)}");
            }
        }

        var total = (long)perSecond * seconds;
        var dropped = Interlocked.Read(ref spoolFull);
        output.WriteLine($"baseline {baseline / 1024 / 1024} MiB, peak {peak / 1024 / 1024} MiB, requests to the failing API {Collector.Batches.Count}");
        // Managed memory does not grow with the outage: it stays within what the in-memory queue can hold (10,000 events).
        Assert.InRange(peak - baseline, long.MinValue, 16L * 1024 * 1024);
        // The spool grew on disk up to its bound, then kept the newest events.
        Assert.True(spoolAt[120] > spoolAt[60]);
        Assert.InRange(host.Dispatcher.BacklogBytes, maxSpoolBytes - 4096, maxSpoolBytes);
        Assert.Equal(total, host.Dispatcher.BacklogCount + dropped);
        Assert.Equal(0, Interlocked.Read(ref queueFull));
        Assert.InRange(Collector.Batches.Count, 2, 40); // backoff, not a retry per batch
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
