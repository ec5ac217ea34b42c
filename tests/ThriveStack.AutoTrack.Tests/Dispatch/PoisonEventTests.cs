using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>
/// A server-side bug that one event triggers every time: the API answers 500 to any batch holding one of 3 page views
/// out of 100, and 200 to everything else. The others, and later events, must not wait for ever behind them.
/// </summary>
public class PoisonEventTests : CollectorTestBase
{
    private static readonly int[] Poison = [7, 50, 93];
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ApiFailsOnThreeEvents_OthersAndLaterEventsArrive_TheThreeDroppedAsUndeliverable()
    {
        Collector.SetFault(CollectorFault.FailEvents(IsPoison, 500));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 100, _time);

        await TrackAsync(host, 0, 100);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 97, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), Progress);
        await TrackAsync(host, 100, 20); // page views after the bad ones
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 117, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), Progress);
        // The app goes on tracking: each accepted batch shows the API is up while it fails on the three alone.
        var later = await AdvanceWithTrafficUntilAsync(host, () => host.DroppedFor(DropReasons.Undeliverable) == 3, TimeSpan.FromMinutes(30));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);

        Assert.Equal(Enumerable.Range(0, 120).Except(Poison).Concat(later), Seqs());
        Assert.Equal(3, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        var logs = host.LogsWithId(LogEvents.EventUndeliverable).ToList();
        Assert.Equal(3, logs.Count);
        Assert.All(logs, l => Assert.Contains("'invoice_paid'", l.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), l => l.Message.Contains("secret-value", StringComparison.Ordinal));
        // Halving finds each bad event in a handful of requests; after that each is retried alone, with backoff.
        Assert.InRange(Collector.Batches.Count - later.Count, 10, 80);
        Assert.Equal(DeliveryStatus.Delivering, host.Dispatcher.Status);
    }

    [Fact]
    public async Task ApiFailsOnThreeEvents_AppRestartsWithThemInTheSpool_SameOutcome()
    {
        var path = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"), "spool.db");
        try
        {
            Collector.SetFault(CollectorFault.FailEvents(IsPoison, 500));
            await using (var first = await TrackingHost.CreateAsync(Collector, o => { o.BatchSize = 100; o.SpoolPath = path; }, _time))
            {
                await TrackAsync(first, 0, 100);
                await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 97, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), Progress);
                Assert.Equal(0, first.DroppedFor(DropReasons.Undeliverable));
            }
            Assert.Equal(3L, Query(path, "SELECT COUNT(*) FROM events"));
            var failuresSoFar = Query(path, "SELECT SUM(failures) FROM events");

            await using var second = await TrackingHost.CreateAsync(Collector, o => { o.BatchSize = 100; o.SpoolPath = path; }, _time);
            await TrackAsync(second, 100, 20);
            var later = await AdvanceWithTrafficUntilAsync(second, () => second.DroppedFor(DropReasons.Undeliverable) == 3, TimeSpan.FromMinutes(30));
            await Wait.UntilAsync(() => second.Dispatcher.BacklogCount == 0);

            Assert.Equal(Enumerable.Range(0, 120).Except(Poison).Concat(later), Seqs());
            Assert.Equal(3, second.LogsWithId(LogEvents.EventUndeliverable).Count());
            Assert.True(failuresSoFar > 0, "the failures counted before the restart are kept in the spool");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Outage_EveryRequestFails_NothingCountedAsUndeliverable()
    {
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 100, _time);

        await TrackAsync(host, 0, 100);
        await _time.AdvanceUntilAsync(() => Collector.Batches.Count >= 30, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)); // down to one-event probes
        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 100, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), Progress);

        Assert.Equal(Enumerable.Range(0, 100), Seqs());
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    /// <summary>Advances the clock a second at a time, tracking a page view every 30 s as a live app would; returns their seqs.</summary>
    private async Task<List<int>> AdvanceWithTrafficUntilAsync(TrackingHost host, Func<bool> done, TimeSpan max)
    {
        var later = new List<int>();
        for (var advanced = TimeSpan.Zero; !done(); advanced += TimeSpan.FromSeconds(1))
        {
            if (advanced > max)
                throw new TimeoutException($"Not done after advancing the clock by {advanced}: {Progress()}.");
            if (advanced.Ticks % TimeSpan.FromSeconds(30).Ticks == 0)
            {
                later.Add(1000 + later.Count);
                host.Tracker.Track(new ThriveStackEvent(StandardEvents.PageVisit, "u2").WithProperty("seq", later[^1]));
            }
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(15);
        }
        await _time.AdvanceUntilAsync(() => Collector.Events.Count(e => e.UserId == "u2") >= later.Count, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), Progress);
        return later;
    }

    private string Progress() => $"{Collector.Events.Count} events, {Collector.Batches.Count} requests";

    private static bool IsPoison(JsonElement e)
        => e.TryGetProperty("properties", out var p) && p.TryGetProperty("crash", out _);

    private static async Task TrackAsync(TrackingHost host, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            var poison = Poison.Contains(i);
            var e = new ThriveStackEvent(poison ? "invoice_paid" : StandardEvents.PageVisit, "u1").WithProperty("seq", i);
            host.Tracker.Track(poison ? e.WithProperty("crash", "secret-value-" + i) : e);
        }
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    private List<int> Seqs() => Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order().ToList();

    private static long Query(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
