using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The dispatcher against the loopback collector's fault injection, on a fake clock.</summary>
public class DeliveryResilienceTests : CollectorTestBase
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ServerErrors_ThenRecovery_EveryEventArrivesOnceWithoutATightLoop()
    {
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 50, _time);

        // Two minutes of outage with events coming in all along.
        for (var second = 0; second < 120; second++)
        {
            for (var i = 0; i < 5; i++)
                host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", second * 5 + i));
            await host.Tracker.FlushAsync();
            await _time.AdvanceAsync(TimeSpan.FromSeconds(1));
        }
        var attempts = Collector.Batches.Count;
        Assert.Empty(Collector.Events);
        Assert.Equal(600, host.Dispatcher.BacklogCount);

        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 600, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(3));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);

        Assert.Equal(Enumerable.Range(0, 600), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        // Backoff doubles from 1 s to the 60 s cap: a handful of attempts in two minutes, not one per batch or per tick.
        Assert.InRange(attempts, 2, 25);
        Assert.Equal(0, host.Dispatcher.BacklogCount);
        Assert.Equal(DeliveryStatus.Delivering, host.Dispatcher.Status);
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(host.LogsWithId(LogEvents.DeliveryResumed));
    }

    [Fact]
    public async Task FlappingApi_ManyPausesAndResumes_EveryEventArrivesAndFlushCompletes()
    {
        // Real time and a 10 ms backoff: the dispatcher goes between delivering and retrying hundreds of times, which
        // is where a batch parked just as the sender resumes could be left waiting.
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.BatchSize = 20;
            o.FlushInterval = TimeSpan.FromMilliseconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
        });
        using var flapping = new CancellationTokenSource();
        var flapper = Task.Run(async () =>
        {
            for (var i = 0; !flapping.IsCancellationRequested; i++)
            {
                Collector.SetFault(i % 2 == 0 ? CollectorFault.Status(500) : null);
                await Task.Delay(7);
            }
            Collector.SetFault(null);
        });

        const int count = 5000;
        for (var i = 0; i < count; i++)
        {
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
            if (i % 250 == 0)
                await Task.Delay(5);
        }
        await flapping.CancelAsync();
        await flapper;
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0 && Collector.Events.Count >= count);

        Assert.Equal(Enumerable.Range(0, count), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task LostResponse_BatchIsSentAgain_AtLeastOnce()
    {
        Collector.SetFault(CollectorFault.AcceptButAnswer(504));
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();
        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 2, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);

        Assert.Equal(2, Collector.Events.Count); // the server took it, the answer was lost, so it came twice
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimited_RetryAfter_NoRequestUntilThen(bool asHttpDate)
    {
        var retryAfter = asHttpDate ? (_time.GetUtcNow() + TimeSpan.FromSeconds(2)).ToString("R", CultureInfo.InvariantCulture) : "2";
        Collector.SetFault(CollectorFault.Status(429, retryAfter));
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();
        Assert.Equal(DeliveryStatus.RateLimited, host.Dispatcher.Status);
        Collector.SetFault(null);

        // The whole dispatcher waits, not just that batch: a new event does not go out either.
        host.Tracker.Track("report_exported", userId: "u2");
        await host.Tracker.FlushAsync();
        await _time.AdvanceAsync(TimeSpan.FromMilliseconds(1900));
        await Task.Delay(300);
        Assert.Single(Collector.Batches);

        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        Assert.Equal(["u1", "u2"], Collector.Events.Select(e => e.UserId));
        Assert.Equal(2, Collector.Batches.Count); // the backlog went out in one batch
    }

    [Fact]
    public async Task RateLimited_WithoutRetryAfter_BacksOffAsForServerErrors()
    {
        Collector.SetFault(CollectorFault.Status(429));
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        Assert.Equal(DeliveryStatus.Retrying, host.Dispatcher.Status);
        Assert.InRange(host.Dispatcher.ResumeAt - _time.GetUtcNow(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task BadRequest_BatchSplitUntilOffendersIsolated_RestDelivered()
    {
        Collector.SetFault(CollectorFault.RejectEvents(e =>
            e.TryGetProperty("properties", out var p) && p.TryGetProperty("malformed", out _)));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 100, _time);
        int[] bad = [7, 50, 93];

        for (var i = 0; i < 100; i++)
        {
            var e = new ThriveStackEvent(bad.Contains(i) ? "invoice_paid" : "report_exported", "u1").WithProperty("seq", i);
            if (bad.Contains(i))
                e.WithProperty("malformed", "secret-value-" + i);
            host.Tracker.Track(e);
        }
        await host.Tracker.FlushAsync();

        Assert.Equal(Enumerable.Range(0, 100).Except(bad), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        Assert.Equal(3, host.DroppedFor(DropReasons.Rejected));
        Assert.Equal(97, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        var logs = host.LogsWithId(LogEvents.EventRejected).ToList();
        Assert.Equal(3, logs.Count);
        Assert.All(logs, l => Assert.Contains("'invoice_paid'", l.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), l => l.Message.Contains("secret-value", StringComparison.Ordinal));
        // Halving 100 around 3 offenders takes a few dozen requests, far fewer than one per event.
        Assert.InRange(Collector.Batches.Count, 4, 40);
        Assert.Equal(DeliveryStatus.Delivering, host.Dispatcher.Status);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(307)]
    public async Task Redirect_ForAWhileThenFixed_EveryEventArrivesOnce_RedirectLoggedOnceWithLocation(int status)
    {
        Collector.SetFault(CollectorFault.Redirect(status));
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);

        for (var i = 0; i < 50; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();
        await _time.AdvanceUntilAsync(() => Collector.Batches.Count >= 4, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        // Never counted as delivered, never posted (or re-sent as a GET) to the redirect's target.
        Assert.Empty(Collector.Events);
        Assert.Equal(0, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(50, host.Dispatcher.BacklogCount);
        Assert.Equal(DeliveryStatus.Retrying, host.Dispatcher.Status);

        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 50, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);

        Assert.Equal(Enumerable.Range(0, 50), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        var log = Assert.Single(host.LogsWithId(LogEvents.EndpointRedirected));
        Assert.Contains(Collector.Endpoint.Authority + ThriveStackCollector.MovedPath, log.Message, StringComparison.Ordinal);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), log.Message, StringComparison.Ordinal);
        Assert.Empty(host.LogsWithId(LogEvents.BatchFailed));
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task NotTheApi_HtmlPageWith200_NotCountedAsDelivered_LoggedOnce_DeliveredWhenTheApiAnswers()
    {
        Collector.SetFault(CollectorFault.NotTheApi());
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);

        for (var i = 0; i < 20; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();
        await _time.AdvanceUntilAsync(() => Collector.Batches.Count >= 3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        Assert.Equal(0, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(20, host.Dispatcher.BacklogCount);
        Assert.Contains("'text/html'", Assert.Single(host.LogsWithId(LogEvents.NotTheApi)).Message, StringComparison.Ordinal);

        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => Collector.Events.Count >= 20, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0);

        Assert.Equal(Enumerable.Range(0, 20), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        Assert.Equal(20, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(host.LogsWithId(LogEvents.NotTheApi));
    }

    [Fact]
    public async Task KeyRefused_NothingLost_ResumesWhenAccepted_RefusalLoggedOnce()
    {
        const string secret = "ts_live_SECRET_0123456789abcdef";
        var probe = TimeSpan.FromMinutes(5);
        await using var collector = await ThriveStackCollector.StartAsync(new ThriveStackCollectorOptions { ApiKey = secret });
        collector.SetFault(CollectorFault.Status(401));
        await using var host = await TrackingHost.CreateAsync(collector, o => o.KeyRefusedRetryInterval = probe, _time);

        for (var i = 0; i < 50; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();
        Assert.Equal(DeliveryStatus.KeyRefused, host.Dispatcher.Status);
        for (var i = 50; i < 100; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();

        // Still refused at the next probe: no second error line, nothing sent in between.
        await _time.AdvanceAsync(probe - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Single(collector.Batches);
        await _time.AdvanceAsync(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => collector.Batches.Count == 2);
        Assert.Equal(DeliveryStatus.KeyRefused, host.Dispatcher.Status);

        collector.SetFault(null); // the key is accepted again
        await _time.AdvanceAsync(probe);
        await collector.WaitForEventsAsync(100);
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount == 0 && host.Dispatcher.Status == DeliveryStatus.Delivering);

        Assert.Equal(Enumerable.Range(0, 100), collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order());
        Assert.Single(host.LogsWithId(LogEvents.KeyRefused));
        Assert.Single(host.LogsWithId(LogEvents.KeyAccepted));
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(secret, StringComparison.Ordinal)
            || r.StructuredState?.Any(kv => kv.Value?.Contains(secret, StringComparison.Ordinal) == true) == true);
    }

    [Fact]
    public async Task Spool_SurvivesAHostRestart_SpooledEventsSentFirst()
    {
        var path = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"), "spool.db");
        try
        {
            Collector.SetFault(CollectorFault.Status(503));
            await using (var first = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = path, _time))
            {
                for (var i = 0; i < 100; i++)
                    first.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
                await first.Tracker.FlushAsync();
                Assert.True(first.Dispatcher.BacklogIsDurable);
                Assert.Equal(100, first.Dispatcher.BacklogCount);
            }

            Collector.SetFault(null);
            await using var second = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = path, _time);
            second.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", 100));
            await second.Tracker.FlushAsync();

            Assert.Equal(Enumerable.Range(0, 101), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()));
            Assert.Single(second.LogsWithId(LogEvents.SpoolResumed));
            Assert.Equal(0, second.Dispatcher.BacklogCount);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Spool_PathCannotBeOpened_WarnsAndRunsMemoryOnly()
    {
        var file = Path.GetTempFileName(); // a file where a directory would have to be
        try
        {
            await using var host = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = Path.Combine(file, "spool.db"));

            host.Tracker.Track("report_exported", userId: "u1");
            await host.Tracker.FlushAsync();

            Assert.False(host.Dispatcher.BacklogIsDurable);
            // One warning per endpoint's spool file, each naming its file.
            var warnings = host.LogsWithId(LogEvents.SpoolUnavailable).Select(l => l.Message).ToList();
            Assert.Equal(3, warnings.Count);
            Assert.All(warnings, m => Assert.Contains(file, m, StringComparison.Ordinal));
            Assert.Contains(warnings, m => m.Contains("spool-identify.db", StringComparison.Ordinal));
            Assert.Contains(warnings, m => m.Contains("spool-group.db", StringComparison.Ordinal));
            Assert.Single(Collector.Events);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Spool_AlreadyUsedByAnotherInstance_SecondRunsMemoryOnly()
    {
        await using var first = await TrackingHost.CreateAsync(Collector);
        var path = Path.Combine(first.SpoolDirectory, "spool.db");
        await using var second = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = path);

        Assert.True(first.Dispatcher.BacklogIsDurable);
        Assert.False(second.Dispatcher.BacklogIsDurable);
        Assert.Equal(3, second.LogsWithId(LogEvents.SpoolUnavailable).Count()); // track's, identify's and group's spool files
    }

    [Fact]
    public async Task Spool_BoundedByMaxSpoolBytes_OldestDroppedAsSpoolFull()
    {
        const long bound = 1024 * 1024;
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.MaxSpoolBytes = bound, _time);
        var filler = new string('x', 1000);

        for (var i = 0; i < 2000; i++)
        {
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i).WithProperty("filler", filler));
            if (i % 500 == 499)
                await host.Tracker.FlushAsync();
        }
        await host.Tracker.FlushAsync();

        Assert.InRange(host.Dispatcher.BacklogBytes, bound - 2000, bound);
        var dropped = host.DroppedFor(DropReasons.SpoolFull);
        Assert.True(dropped > 0);
        Assert.Equal(2000, dropped + host.Dispatcher.BacklogCount);
        Assert.NotEmpty(host.LogsWithId(LogEvents.SpoolFull));

        // What is left is the newest.
        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => host.Dispatcher.BacklogCount == 0, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        var seqs = Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range((int)dropped, 2000 - (int)dropped), seqs);
    }

    [Fact]
    public async Task Memory_DurabilityMemory_BacklogBoundedByMaxQueueSize()
    {
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.Durability = EventDurability.Memory;
            o.MaxQueueSize = 1000;
        }, _time);

        for (var i = 0; i < 5000; i++)
        {
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
            if (i % 200 == 199)
                await host.Tracker.FlushAsync();
        }
        await host.Tracker.FlushAsync();

        Assert.False(host.Dispatcher.BacklogIsDurable);
        Assert.Equal(1000, host.Dispatcher.BacklogCount);
        Assert.Equal(4000, host.DroppedFor(DropReasons.SpoolFull));
    }

    [Fact]
    public async Task Overflow_SlowApi_QueuePastHighWaterSpillsToSpoolInsteadOfDropping()
    {
        Collector.SetFault(CollectorFault.NeverAnswer);
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.MaxQueueSize = 1000;
            o.BatchSize = 100;
            o.ShutdownTimeout = TimeSpan.FromMilliseconds(200);
        });

        host.Tracker.Track("report_exported", userId: "u0"); // the first batch hangs in flight
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromMilliseconds(300)).ContinueWith(_ => { }, TaskScheduler.Default);
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            if (host.Tracker.Track("report_exported", userId: "u1"))
                accepted++;
            if (i % 100 == 99)
                await Wait.UntilAsync(() => host.Dispatcher.QueueLength < 600);
        }

        Assert.Equal(5000, accepted);
        Assert.Equal(0, host.DroppedFor(DropReasons.QueueFull));
        await Wait.UntilAsync(() => host.Dispatcher.BacklogCount >= 4500);
    }

    [Fact]
    public async Task HealthCheck_FollowsTheDeliveryState()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);
        var health = host.Host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        async Task<(string Status, IReadOnlyDictionary<string, object> Data)> Check()
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains("thrivestack"));
            var entry = report.Entries[ThriveStackHealthCheck.Name];
            return (entry.Status.ToString(), entry.Data);
        }

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();
        Assert.Equal("Healthy", (await Check()).Status);

        Collector.SetFault(CollectorFault.Status(500));
        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();
        var retrying = await Check();
        Assert.Equal("Degraded", retrying.Status);
        Assert.Equal("retrying", retrying.Data["state"]);
        Assert.Equal(1L, retrying.Data["spool_events"]);

        Collector.SetFault(CollectorFault.Status(401));
        await _time.AdvanceUntilAsync(() => host.Dispatcher.Status == DeliveryStatus.KeyRefused, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.Equal("Unhealthy", (await Check()).Status);

        Collector.SetFault(CollectorFault.Status(429, "30"));
        await _time.AdvanceUntilAsync(() => host.Dispatcher.Status == DeliveryStatus.RateLimited, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
        Assert.Equal("Degraded", (await Check()).Status);

        Collector.SetFault(null);
        await _time.AdvanceUntilAsync(() => host.Dispatcher.Status == DeliveryStatus.Delivering, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));
        var healthy = await Check();
        Assert.Equal("Healthy", healthy.Status);
        Assert.Equal(0L, healthy.Data["spool_events"]);
    }

    [Fact]
    public async Task HealthCheck_NoApiKey_Degraded()
    {
        await using var host = await TrackingHost.CreateAsync(null);
        var health = host.Host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();

        var report = await health.CheckHealthAsync();

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, report.Entries[ThriveStackHealthCheck.Name].Status);
    }

    [Fact]
    public async Task Metrics_RetriesSpoolAndPauseAreReported()
    {
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector, configure: null, _time);
        var meters = host.Host.Services.GetRequiredService<IMeterFactory>();
        using var retries = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.delivery.retries");
        using var spooled = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.events.spooled");
        using var spoolEvents = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.spool.events");
        using var spoolSize = new MetricCollector<long>(meters, ThriveStackMetrics.MeterName, "thrivestack.spool.size");
        using var paused = new MetricCollector<int>(meters, ThriveStackMetrics.MeterName, "thrivestack.delivery.paused");

        for (var i = 0; i < 10; i++)
            host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();
        spoolEvents.RecordObservableInstruments();
        spoolSize.RecordObservableInstruments();
        paused.RecordObservableInstruments();

        Assert.Equal(1, retries.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(10, spooled.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(10, spoolEvents.LastMeasurement!.Value);
        Assert.True(spoolSize.LastMeasurement!.Value > 10 * 40);
        Assert.Equal(1, paused.LastMeasurement!.Value);
        Assert.Equal("retrying", paused.LastMeasurement.Tags["reason"]);
    }
}
