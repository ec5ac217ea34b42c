using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>
/// Producers far faster than delivery: the queue overflows and the backlog's bound evicts, while batches are in flight.
/// Whatever happens, every event <c>Track</c> was given is counted exactly once: delivered, or dropped for a reason.
/// </summary>
public class OverloadAccountingTests(ITestOutputHelper output) : CollectorTestBase
{
    private const int Producers = 4;
    private const int PerProducer = 25_000;

    [Theory]
    [InlineData(EventDurability.Memory)]
    [InlineData(EventDurability.Disk)]
    public async Task Overload_ProducersOutrunASlowApi_DeliveredPlusDroppedEqualsTracked(EventDurability durability)
    {
        // 200 ms a request: at most 2,500 events/s can be delivered, while the producers track over 10 times faster.
        Collector.SetFault(CollectorFault.Slow(TimeSpan.FromMilliseconds(200)));
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.Durability = durability;
            o.MaxQueueSize = 2_000;
            o.MaxSpoolBytes = 1024 * 1024;
            o.BatchSize = 500;
            o.FlushInterval = TimeSpan.FromMilliseconds(50);
        });
        var filler = new string('x', 300);

        var accepted = 0L;
        // Dedicated threads: producers that sleep on pool threads would starve the dispatcher and the collector of them.
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < PerProducer; i++)
            {
                var e = new ThriveStackEvent("report_exported", "u" + p).WithProperty("seq", p * PerProducer + i).WithProperty("filler", filler);
                if (host.Tracker.Track(e))
                    Interlocked.Increment(ref accepted);
                if (i % 20 == 19)
                    Thread.Sleep(1); // still many times faster than delivery, but the collector gets to spill
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(producers);
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0 && host.Dispatcher.QueueLength == 0);

        const int tracked = Producers * PerProducer;
        var delivered = Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).ToList();
        var dropped = host.Dropped.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["reason"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        output.WriteLine($"{durability}: tracked {tracked}, accepted {accepted}, delivered {delivered.Count}, dropped "
            + string.Join(", ", dropped.Select(d => $"{d.Key} {d.Value}")));

        Assert.Equal(delivered.Count, delivered.Distinct().Count()); // nothing delivered twice
        Assert.Equal(delivered.Count, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value)); // sent = what arrived
        Assert.Equal(tracked, delivered.Count + dropped.Values.Sum()); // the books balance, exactly
        Assert.Equal(tracked - accepted, dropped.GetValueOrDefault(DropReasons.QueueFull)); // refused at Track
        Assert.True(dropped.GetValueOrDefault(DropReasons.SpoolFull) > 0, "the backlog's bound should have evicted");
        Assert.Empty(dropped.Keys.Except([DropReasons.QueueFull, DropReasons.SpoolFull]));
    }
}
