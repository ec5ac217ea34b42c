using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The three pipelines as one hosted service: started, flushed and stopped together, each with its own spool.</summary>
public class DeliveryPipelinesTests : CollectorTestBase
{
    [Fact]
    public async Task Constructor_EachPipelineMustDeliverItsOwnKind()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, start: false);
        var pipelines = host.Host.Services.GetRequiredService<DeliveryPipelines>();

        Assert.Throws<ArgumentException>(() => new DeliveryPipelines(pipelines[RecordKind.Identify], pipelines.Track, pipelines[RecordKind.Group]));
        Assert.All(RecordKinds.All, kind => Assert.Equal(kind, pipelines[kind].Kind));
    }

    [Fact]
    public async Task Flush_WaitsForAllThree()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.FlushInterval = TimeSpan.FromMinutes(10));
        var pipelines = host.Host.Services.GetRequiredService<DeliveryPipelines>();

        for (var i = 0; i < 3; i++)
        {
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u" + i));
            host.Tracker.Identify(new ThriveStackUser { UserId = "u" + i, Email = $"u{i}@example.com" });
            host.Tracker.Group(new ThriveStackGroup { GroupId = "g" + i, UserId = "u" + i, GroupType = "Account" });
        }
        await pipelines.FlushAsync(CancellationToken.None); // the flush interval is far away: only the flush sends them

        Assert.Equal((3, 3, 3), (Collector.Events.Count, Collector.Identifies.Count, Collector.Groups.Count));
    }

    [Fact]
    public async Task Stop_AllThreeWithinOneShutdownTimeout_WhenNoEndpointAnswers()
    {
        Collector.SetFault(CollectorFault.NeverAnswer);
        var time = new FakeTimeProvider();
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(5);
            o.RequestTimeout = TimeSpan.FromMinutes(5);
        }, time);
        var pipelines = host.Host.Services.GetRequiredService<DeliveryPipelines>();
        host.Tracker.Track(new ThriveStackEvent("report_exported", "u1"));
        host.Tracker.Identify(new ThriveStackUser { UserId = "u1" });
        host.Tracker.Group(new ThriveStackGroup { GroupId = "g1", UserId = "u1", GroupType = "Account" });
        await time.AdvanceUntilAsync(() => Collector.PeakConcurrentRequests >= 3, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)); // one of each hangs

        var stop = pipelines.StopAsync(CancellationToken.None);
        await time.AdvanceAsync(TimeSpan.FromSeconds(5)); // one deadline: three stops one after another would need three

        try
        {
            await stop.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await time.AdvanceUntilAsync(() => stop.IsCompleted, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)); // never leave the host stuck
        }
        Assert.True(pipelines.All.All(p => p.BacklogCount == 1)); // each kept its unsent record for the next run
    }
}
