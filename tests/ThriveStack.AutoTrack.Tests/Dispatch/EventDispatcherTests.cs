using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Dispatch;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class EventDispatcherTests : CollectorTestBase
{
    [Fact]
    public async Task Dispatcher_TenThousandEventsFromEightProducers_EachArrivesExactlyOnce()
    {
        const int producers = 8, perProducer = 1250;
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.BatchSize = 100;
            o.MaxQueueSize = producers * perProducer;
        });
        var rejected = 0;

        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                if (!host.Tracker.Track(new ThriveStackEvent("report_exported", "u" + p).WithProperty("seq", p * perProducer + i)))
                    Interlocked.Increment(ref rejected);
            }
        })));
        await host.Tracker.FlushAsync();

        Assert.Equal(0, rejected);
        var events = Collector.Events;
        Assert.Equal(producers * perProducer, events.Count);
        Assert.Equal(producers * perProducer, events.Select(e => e.Properties.GetProperty("seq").GetInt32()).Distinct().Count());
        Assert.All(Collector.Batches, b => Assert.InRange(b.EventCount, 1, 100));
        Assert.All(Collector.Batches, b => Assert.Equal(200, b.StatusCode));
        Assert.Equal(producers * perProducer, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Dispatcher_ProducerOrder_PreservedWithinOneProducer()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 7);

        for (var i = 0; i < 100; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i));
        await host.Tracker.FlushAsync();

        Assert.Equal(Enumerable.Range(0, 100), Collector.Events.Select(e => e.Properties.GetProperty("seq").GetInt32()));
    }

    [Fact]
    public async Task Dispatcher_PartialBatch_SentWhenFlushIntervalPasses()
    {
        var time = new FakeTimeProvider();
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.FlushInterval = TimeSpan.FromSeconds(5), time);

        for (var i = 0; i < 3; i++)
            host.Tracker.Track("report_exported", userId: "u" + i);
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(200); // give a wrongly-early send the chance to show up
        Assert.Empty(Collector.Events);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Collector.WaitForEventsAsync(3);

        var batch = Assert.Single(Collector.Batches);
        Assert.Equal(3, batch.EventCount);
    }

    [Fact]
    public async Task Dispatcher_ClockMovesWhileTheFlushTimerIsArmed_BatchStillSentAtItsDeadline()
    {
        // The clock jumps 3 s between the collector measuring the 7 s its batch may wait and arming the timer, as a
        // test's fake clock does when it is advanced at that moment. A timer armed then would fire 3 s late.
        var time = new JumpWhileArmingTimeProvider(jumpOn: TimeSpan.FromSeconds(7), jumpBy: TimeSpan.FromSeconds(3));
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.FlushInterval = TimeSpan.FromSeconds(7), time);
        // The idle senders (track, identify, group) arm a timer of the same length at start; the jump is for the collector's.
        await Wait.UntilAsync(() => time.TimersOfJumpLength == 3);
        time.Armed = true;

        host.Tracker.Track("report_exported", userId: "u1");
        await Wait.UntilAsync(() => time.Jumped);
        time.Clock.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(200); // give a wrongly-early send the chance to show up
        Assert.Empty(Collector.Events);

        time.Clock.Advance(TimeSpan.FromMilliseconds(1)); // 7 s after the event, not 10
        await Collector.WaitForEventsAsync(1);
    }

    /// <summary>A fake clock that moves forward once, while a timer of a given due time is being armed.</summary>
    private sealed class JumpWhileArmingTimeProvider(TimeSpan jumpOn, TimeSpan jumpBy) : TimeProvider
    {
        private int _jumped;
        private int _timersOfJumpLength;

        public FakeTimeProvider Clock { get; } = new();

        public volatile bool Armed;

        public bool Jumped => Volatile.Read(ref _jumped) == 1;

        public int TimersOfJumpLength => Volatile.Read(ref _timersOfJumpLength);

        public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

        public override long GetTimestamp() => Clock.GetTimestamp();

        public override long TimestampFrequency => Clock.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Arming(dueTime);
            return new Watched(this, Clock.CreateTimer(callback, state, dueTime, period));
        }

        private void Arming(TimeSpan dueTime)
        {
            if (dueTime != jumpOn)
                return;
            Interlocked.Increment(ref _timersOfJumpLength);
            if (Armed && Interlocked.Exchange(ref _jumped, 1) == 0)
                Clock.Advance(jumpBy);
        }

        /// <summary>A timer armed again later (<see cref="ITimer.Change"/>) is watched as one being made.</summary>
        private sealed class Watched(JumpWhileArmingTimeProvider owner, ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                owner.Arming(dueTime); // the clock moves first, as between measuring what remains and arming
                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispatcher_FullBatch_SentWithoutWaitingForInterval()
    {
        var time = new FakeTimeProvider();
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.BatchSize = 100, time);

        for (var i = 0; i < 250; i++)
            host.Tracker.Track("report_exported", userId: "u" + i);

        await Collector.WaitForEventsAsync(200);
        Assert.Equal([100, 100], Collector.Batches.Select(b => b.EventCount));

        time.Advance(TimeSpan.FromSeconds(5));
        await Collector.WaitForEventsAsync(250);
        Assert.Equal([100, 100, 50], Collector.Batches.Select(b => b.EventCount));
    }

    [Fact]
    public async Task Dispatcher_ByteLimit_NoBatchLargerThanMaxBatchBytes()
    {
        const int maxBytes = 2048;
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.MaxBatchBytes = maxBytes);

        for (var i = 0; i < 40; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("pad", new string('x', 300)).WithProperty("seq", i));
        await host.Tracker.FlushAsync();

        Assert.Equal(40, Collector.Events.Count);
        Assert.True(Collector.Batches.Count > 1);
        Assert.All(Collector.Batches, b => Assert.InRange(b.BodyBytes!.Value, 1, maxBytes));
    }

    [Fact]
    public async Task Dispatcher_EventLargerThanBatchLimit_DroppedAsTooLargeOthersDelivered()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.MaxBatchBytes = 1024);

        host.Tracker.Track("report_exported", userId: "before");
        host.Tracker.Track(new ThriveStackEvent("report_exported", "huge").WithProperty("pad", new string('x', 2000)));
        host.Tracker.Track("report_exported", userId: "after");
        await host.Tracker.FlushAsync();

        Assert.Equal(["before", "after"], Collector.Events.Select(e => e.UserId));
        Assert.Equal(1, host.DroppedFor(DropReasons.TooLarge));
        Assert.Single(host.LogsWithId(LogEvents.EventTooLarge));
    }

    [Fact]
    public async Task Dispatcher_InvalidUtf16InValues_NeverStopsTheLoop()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track(new ThriveStackEvent("report_exported", "u\uD800x").WithProperty("s", "a\uDC00b"));
        host.Tracker.Track("report_exported", userId: "after");
        await host.Tracker.FlushAsync();

        Assert.Contains(Collector.Events, e => e.UserId == "after");
        var accounted = Collector.Events.Count + host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(2, accounted);
    }

    [Fact]
    public async Task StopAsync_ThousandQueuedEvents_AllDeliveredBeforeItReturns()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.FlushInterval = TimeSpan.FromMinutes(10), start: false);
        for (var i = 0; i < 1000; i++)
            Assert.True(host.Tracker.Track(new ThriveStackEvent("report_exported", "u1").WithProperty("seq", i)));

        await host.Host.StartAsync();
        await host.Host.StopAsync();

        Assert.Equal(1000, Collector.Events.Count);
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Theory]
    [InlineData(EventDurability.Disk)]
    [InlineData(EventDurability.Memory)]
    public async Task StopAsync_CollectorNeverAnswers_ReturnsAtShutdownTimeoutAndSpoolsOrCountsTheRest(EventDurability durability)
    {
        var time = new FakeTimeProvider();
        var shutdownTimeout = TimeSpan.FromSeconds(5);
        Collector.SetFault(CollectorFault.NeverAnswer);
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.ShutdownTimeout = shutdownTimeout;
            o.Durability = durability;
        }, time);
        for (var i = 0; i < 10; i++)
            host.Tracker.Track("report_exported", userId: "u" + i);

        var stop = host.Host.StopAsync();
        var step = TimeSpan.FromMilliseconds(500);
        var advanced = TimeSpan.Zero;
        while (!stop.IsCompleted && advanced < shutdownTimeout * 4)
        {
            await Task.Delay(50);
            if (stop.IsCompleted)
                break;
            time.Advance(step);
            advanced += step;
        }
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.InRange(advanced, shutdownTimeout, shutdownTimeout * 2);
        if (durability == EventDurability.Disk)
        {
            Assert.Equal(10, host.Dispatcher.BacklogCount);
            Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        }
        else
        {
            Assert.Equal(10, host.DroppedFor(DropReasons.Shutdown));
        }
    }

    [Fact]
    public async Task StopAsync_CalledConcurrentlyAndAgainAfterDispose_DrainsOnceAndNeverThrows()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);
        var dispatcher = host.Host.Services.GetRequiredService<EventDispatcher>();
        for (var i = 0; i < 50; i++)
            host.Tracker.Track("report_exported", userId: "u" + i);

        var first = dispatcher.StopAsync(CancellationToken.None);
        var second = dispatcher.StopAsync(CancellationToken.None);
        var dispose = dispatcher.DisposeAsync().AsTask();
        await Task.WhenAll(first, second, dispose);
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(50, Collector.Events.Count);
    }

    [Fact]
    public async Task Track_AfterStop_ReturnsFalseCountedAsShutdown()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);
        await host.Host.StopAsync();

        Assert.False(host.Tracker.Track("report_exported", userId: "u1"));
        Assert.Equal(1, host.DroppedFor(DropReasons.Shutdown));
    }

    [Fact]
    public async Task FlushAsync_NothingQueued_CompletesAtOnce()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.True(host.Tracker.FlushAsync().IsCompleted);
    }

    [Fact]
    public async Task FlushAsync_PartialBatch_SendsWithoutWaitingForInterval()
    {
        var time = new FakeTimeProvider();
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.FlushInterval = TimeSpan.FromHours(1), time);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(Collector.Events);
    }

    [Fact]
    public async Task Dispatcher_ServerError_SpoolsForRetryAndLogsWithoutTheKey()
    {
        Collector.SetFault(CollectorFault.Status(500));
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        Assert.Equal(1, host.Dispatcher.BacklogCount);
        Assert.Equal(DeliveryStatus.Retrying, host.Dispatcher.Status);
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        var log = Assert.Single(host.LogsWithId(LogEvents.BatchFailed));
        Assert.Contains("status 500", log.Message, StringComparison.Ordinal);
        AssertKeyNeverLogged(host, Collector.ApiKey);
    }

    [Fact]
    public async Task Dispatcher_KeyRefused_PausesAndNoLogLineContainsTheKey()
    {
        const string secret = "ts_live_SECRET_key_0123456789";
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.ApiKey = secret);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        Assert.Equal(401, Assert.Single(Collector.Batches).StatusCode);
        Assert.Equal(DeliveryStatus.KeyRefused, host.Dispatcher.Status);
        Assert.Equal(1, host.Dispatcher.BacklogCount);
        Assert.Single(host.LogsWithId(LogEvents.KeyRefused));
        AssertKeyNeverLogged(host, secret);
    }

    [Fact]
    public async Task Dispatcher_UnreachableEndpoint_RetriesLater()
    {
        var endpoint = Collector.Endpoint;
        await Collector.DisposeAsync(); // nothing listens there any more
        await using var host = await TrackingHost.CreateAsync(null, o => { o.Endpoint = endpoint; o.ApiKey = "k"; });

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, host.Dispatcher.BacklogCount);
        Assert.Contains("network", Assert.Single(host.LogsWithId(LogEvents.BatchFailed)).Message, StringComparison.Ordinal);
        Collector = await ThriveStackCollector.StartAsync(); // for the base class to dispose
    }

    [Fact]
    public async Task Metrics_DeliveredBatch_RecordsBatchDurationAndOutcome()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track("report_exported", userId: "u1");
        await host.Tracker.FlushAsync();

        var batch = Assert.Single(host.Batches.GetMeasurementSnapshot());
        Assert.Equal("delivered", batch.Tags["outcome"]);
        Assert.Single(host.Duration.GetMeasurementSnapshot());
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Metrics_QueueLengthGauge_ReportsQueuedEvents()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, start: false);
        for (var i = 0; i < 5; i++)
            host.Tracker.Track("report_exported", userId: "u1");

        host.QueueLength.RecordObservableInstruments();

        Assert.Equal(5, host.QueueLength.LastMeasurement!.Value);
    }

    private static void AssertKeyNeverLogged(TrackingHost host, string key)
    {
        foreach (var record in host.Logs.GetSnapshot())
        {
            Assert.DoesNotContain(key, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(key, record.Exception?.ToString() ?? "", StringComparison.Ordinal);
            foreach (var (name, value) in record.StructuredState ?? [])
                Assert.False((value ?? "").Contains(key, StringComparison.Ordinal), $"{record.Category} {record.Id} {name}={value}");
        }
    }
}
