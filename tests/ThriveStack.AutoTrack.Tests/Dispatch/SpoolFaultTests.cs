using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>
/// The spool failing under the dispatcher while the API is down: a directory made read-only, a disk that fills. Visitors
/// see nothing, delivery never wedges, and no event is delivered twice because its row could not be deleted.
/// </summary>
public class SpoolFaultTests : CollectorTestBase
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task SpoolBecomesReadOnly_DuringAnOutage_NothingLostOrRepeated_NewEventsArriveAfterRecovery()
    {
        Collector.SetFault(CollectorFault.Status(503));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 100, _time);
        await TrackAsync(host, 0, 300);
        Assert.Equal(300, host.Dispatcher.BacklogCount);

        Spool(host).Pragma("query_only = 1"); // from here every write to the spool fails, as on a read-only mount
        await TrackAsync(host, 300, 200);
        Assert.Equal(500, host.Dispatcher.BacklogCount); // the newer 200 wait in memory
        Assert.False(host.Dispatcher.BacklogIsDurable);

        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 500, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);
        await TrackAsync(host, 500, 50); // new events go straight out

        Assert.Equal(Enumerable.Range(0, 550), Seqs()); // each exactly once, though no delivered row could be deleted
        Assert.Equal(550, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.NotEmpty(host.LogsWithId(LogEvents.SpoolWriteFailed));
        Assert.Empty(host.LogsWithId(LogEvents.BacklogFailed));
        Assert.True(host.Dispatcher.BacklogIsDurable);
    }

    [SmallFilesystemFact]
    public async Task SpoolOnAFullDisk_DuringAnOutage_NothingLostOrRepeated_NewEventsArriveAfterRecovery()
    {
        using var disk = SmallFilesystem.Mount(kibibytes: 2048);
        Collector.SetFault(CollectorFault.Status(503));
        var filler = new string('x', 300);
        await using (var host = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = Path.Combine(disk.Path, "spool.db"), _time))
        {
            // 4,000 page views of ~450 bytes: more than the 2 MiB disk holds once SQLite's pages and WAL are counted.
            for (var i = 0; i < 4000; i += 500)
                await TrackAsync(host, i, 500, filler);
            Assert.NotEmpty(host.LogsWithId(LogEvents.SpoolWriteFailed)); // 'database or disk is full'
            Assert.Equal(4000, host.Dispatcher.BacklogCount);

            Collector.SetFault(null);
            await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 4000, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
            await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);
            await TrackAsync(host, 4000, 50);

            Assert.Equal(Enumerable.Range(0, 4050), Seqs());
            Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
            Assert.Empty(host.LogsWithId(LogEvents.BacklogFailed));
        }
    }

    private static SpoolProbe Spool(TrackingHost host) => new(((SpoolWithFallback)host.Dispatcher.BacklogForTests).Spool);

    private List<int> Seqs() => Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order().ToList();

    private static async Task TrackAsync(TrackingHost host, int first, int count, string? filler = null)
    {
        for (var i = first; i < first + count; i++)
        {
            var e = new ThriveStackEvent(StandardEvents.PageVisit, "u1").WithProperty("page_path", "/reports/" + i).WithProperty("seq", i);
            host.Tracker.Track(filler is null ? e : e.WithProperty("filler", filler));
        }
        await host.Tracker.FlushAsync();
    }

    private sealed class SpoolProbe(SqliteSpool spool)
    {
        public void Pragma(string pragma)
        {
            using var command = spool.ConnectionForTests.CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            command.ExecuteNonQuery();
        }
    }
}
