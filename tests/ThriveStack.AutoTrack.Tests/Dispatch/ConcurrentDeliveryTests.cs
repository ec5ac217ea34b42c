using System.Diagnostics;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>A backlog drained through a distant API (300 ms a request): several requests in flight, each event once.</summary>
public class ConcurrentDeliveryTests(ITestOutputHelper output) : CollectorTestBase
{
    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    public async Task Backlog_DistantApi_UpToMaxConcurrentRequestsInFlight_EveryEventOnce(int most)
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.MaxConcurrentRequests = most;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
        });
        Collector.SetFault(CollectorFault.Status(503)); // an outage leaves a backlog of 10 batches
        for (var i = 0; i < 5000; i++)
            host.Tracker.Track(new ThriveStackEvent(StandardEvents.PageVisit, "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();
        Assert.Equal(5000, host.Dispatcher.BacklogCount);

        Collector.SetFault(CollectorFault.Slow(TimeSpan.FromMilliseconds(300)));
        var clock = Stopwatch.StartNew();
        await Collector.WaitForEventsAsync(5000, TimeSpan.FromSeconds(60));
        output.WriteLine($"{most} in flight at most: 5,000 events drained in {clock.ElapsedMilliseconds} ms, peak {Collector.PeakConcurrentRequests} requests at once");

        Assert.Equal(Enumerable.Range(0, 5000), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        Assert.Equal(most, Collector.PeakConcurrentRequests);
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);
        Assert.Empty(host.LogsWithId(LogEvents.BacklogFailed));
    }
}
