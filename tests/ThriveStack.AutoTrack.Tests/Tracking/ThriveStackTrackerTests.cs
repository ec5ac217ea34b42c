using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tests.Infrastructure;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Tests.Tracking;

public class ThriveStackTrackerTests : CollectorTestBase
{
    [Fact]
    public async Task Track_ValidEvent_ArrivesWithTimestampStampedAtTrackTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        await using var host = await TrackingHost.CreateAsync(Collector, time: time);

        Assert.True(host.Tracker.Track("report_exported", new() { ["format"] = "csv" }, userId: "u1"));
        await host.Tracker.FlushAsync();

        var e = Assert.Single(Collector.Events);
        Assert.Equal("report_exported", e.EventName);
        Assert.Equal("u1", e.UserId);
        Assert.Equal("2026-03-04T05:06:07Z", e.Timestamp);
        Assert.Equal("csv", e.Property("format"));
        Assert.Equal(1, host.Enqueued.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Track_RevenueWithoutCurrency_SendsUsd()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track(new ThriveStackEvent("plan_upgraded", "u1").WithProperty(ReservedProperties.Revenue, 49.99m));
        await host.Tracker.FlushAsync();

        var e = Assert.Single(Collector.Events);
        Assert.Equal("USD", e.Property("currency"));
        Assert.Equal(49.99m, e.Properties.GetProperty("revenue").GetDecimal());
    }

    [Fact]
    public async Task Track_RevenueWithCurrency_KeepsCurrency()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track(new ThriveStackEvent("plan_upgraded", "u1").WithProperty("revenue", 10).WithProperty("currency", "EUR"));
        await host.Tracker.FlushAsync();

        Assert.Equal("EUR", Assert.Single(Collector.Events).Property("currency"));
    }

    public static TheoryData<string, ThriveStackEvent> InvalidEvents => new()
    {
        { "event_name is missing", new ThriveStackEvent("", "u1") },
        { "event_name is longer", new ThriveStackEvent(new string('a', 129) + "_created", "u1") },
        { "user_id is missing", new ThriveStackEvent("report_exported") },
        { "user_id is longer", new ThriveStackEvent("report_exported", new string('u', 257)) },
        { "context field", new ThriveStackEvent("report_exported", "u1") { Context = new EventContext { DeviceId = new string('d', 257) } } },
        { "unsupported type", new ThriveStackEvent("report_exported", "u1").WithProperty("obj", new object()) },
        { "not a finite number", new ThriveStackEvent("report_exported", "u1").WithProperty("x", double.NaN) },
        { "string longer", new ThriveStackEvent("report_exported", "u1").WithProperty("s", new string('x', EventLimits.MaxStringValueLength + 1)) },
        { "nested too deeply", new ThriveStackEvent("report_exported", "u1").WithProperty("deep", Nest(EventLimits.MaxDepth + 1)) },
        { "too many properties", ManyProperties(EventLimits.MaxPropertyCount + 1) },
        { "array longer", new ThriveStackEvent("report_exported", "u1").WithProperty("a", new int[EventLimits.MaxArrayLength + 1]) },
        { "property name longer", new ThriveStackEvent("report_exported", "u1").WithProperty(new string('p', 129), 1) },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task Track_InvalidEvent_DroppedCountedAndLogged(string problem, ThriveStackEvent e)
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.False(host.Tracker.Track(e));

        Assert.Equal(1, host.DroppedFor(DropReasons.Invalid));
        var log = Assert.Single(host.LogsWithId(LogEvents.EventInvalid));
        Assert.Contains(problem, log.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, log.Level);
    }

    [Fact]
    public async Task Track_NullEvent_ReturnsFalseWithoutThrowing()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.False(host.Tracker.Track((ThriveStackEvent)null!));
        Assert.Equal(1, host.DroppedFor(DropReasons.Invalid));
    }

    [Fact]
    public async Task Track_InvalidEvents_LogThrottledWithSuppressedCount()
    {
        var time = new FakeTimeProvider();
        await using var host = await TrackingHost.CreateAsync(Collector, time: time);

        for (var i = 0; i < 5; i++)
            host.Tracker.Track(new ThriveStackEvent("report_exported"));
        time.Advance(TimeSpan.FromSeconds(11));
        host.Tracker.Track(new ThriveStackEvent("report_exported"));

        var logs = host.LogsWithId(LogEvents.EventInvalid).ToList();
        Assert.Equal(2, logs.Count);
        Assert.Contains("Similar messages suppressed since the last one: 4.", logs[1].Message, StringComparison.Ordinal);
        Assert.Equal(6, host.DroppedFor(DropReasons.Invalid));
    }

    [Fact]
    public async Task Track_UnconventionalName_SentAndReportedOncePerName()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.True(host.Tracker.Track("SignUp", userId: "u1"));
        Assert.True(host.Tracker.Track("SignUp", userId: "u2"));
        Assert.True(host.Tracker.Track("event_12", userId: "u3"));
        Assert.True(host.Tracker.Track("report_exported", userId: "u4"));
        await host.Tracker.FlushAsync();

        Assert.Equal(4, Collector.Events.Count);
        var logs = host.LogsWithId(LogEvents.EventNameUnconventional).ToList();
        Assert.Equal(2, logs.Count);
        Assert.Contains("'SignUp'", logs[0].Message, StringComparison.Ordinal);
        Assert.Contains("'event_12'", logs[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Track_UnconventionalNameInStrictMode_Rejected()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.StrictEventNames = true);

        Assert.False(host.Tracker.Track("SignUp", userId: "u1"));
        Assert.False(host.Tracker.Track("SignUp", userId: "u1"));
        Assert.True(host.Tracker.Track("signed_up", userId: "u1"));
        await host.Tracker.FlushAsync();

        Assert.Equal(2, host.DroppedFor(DropReasons.InvalidName));
        Assert.Equal("signed_up", Assert.Single(Collector.Events).EventName);
        Assert.Contains("rejected", Assert.Single(host.LogsWithId(LogEvents.EventNameUnconventional)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Track_Disabled_DroppedAsDisabled()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.Enabled = false);

        Assert.False(host.Tracker.Track("report_exported", userId: "u1"));

        Assert.Equal(1, host.DroppedFor(DropReasons.Disabled));
    }

    [Fact]
    public async Task Track_NoApiKey_DisabledWithOneStartupWarning()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.ApiKey = null);

        Assert.False(host.Tracker.Track("report_exported", userId: "u1"));
        Assert.False(host.Tracker.Track("report_exported", userId: "u1"));
        await host.Tracker.FlushAsync();

        Assert.Equal(2, host.DroppedFor(DropReasons.Disabled));
        var warning = Assert.Single(host.LogsWithId(LogEvents.ApiKeyMissing));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("ThriveStack__ApiKey", warning.Message, StringComparison.Ordinal);
        Assert.Empty(Collector.Batches);
    }

    [Fact]
    public async Task Track_QueueFull_ReturnsFalseCountsAndLogs()
    {
        await using var host = await TrackingHost.CreateAsync(Collector, o => o.MaxQueueSize = 10, start: false);

        var accepted = Enumerable.Range(0, 11).Count(i => host.Tracker.Track("report_exported", userId: "u" + i));

        Assert.Equal(10, accepted);
        Assert.Equal(1, host.DroppedFor(DropReasons.QueueFull));
        Assert.Contains("queue_full", Assert.Single(host.LogsWithId(LogEvents.QueueFull)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedStandardEvents_EachArrivesWithKeyProperties()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);
        var t = host.Tracker;

        Assert.True(t.Track(new SignedUpEvent { UserId = "u1", UserEmail = "a@b.c", UserName = "Ann", Utm = new UtmParameters(Source: "x", Campaign: "y") }));
        t.Track(new AccountCreatedEvent { UserId = "u1", AccountId = "acc1", AccountName = "Acme", AccountDomain = "acme.com" });
        t.Track(new AccountAddedUserEvent { UserId = "u2", AccountId = "acc1", AccountName = "Acme", UserEmail = "c@d.e" });
        t.Track(new FeatureUsedEvent { UserId = "u1", GroupId = "acc1", FeatureName = "export_report", FeatureType = FeatureTypes.Core, UserRole = "admin" });
        t.Track(new ProfileCompletedEvent { UserId = "u1", CompletionStatus = "complete", UserRole = "admin" });
        t.Track(new InviteSentEvent { UserId = "u1", GroupId = "acc1", InviteeEmail = "c@d.e", InviteeRole = "member", FeatureName = "team" });
        t.Track(new PageVisitEvent
        {
            UserId = "u1", PageUrl = "https://acme.com/p?q=1", PagePath = "/p", PageReferrer = "https://google.com", PageTitle = "P",
            Utm = new UtmParameters(Medium: "email"),
        });
        await t.FlushAsync();

        var events = Collector.Events.ToDictionary(e => e.EventName);
        Assert.Equal(7, events.Count);
        Assert.Equal("a@b.c", events["signed_up"].Property("user_email"));
        Assert.Equal("x", events["signed_up"].Property("utm_source"));
        Assert.Equal("acc1", events["account_created"].GroupId);
        Assert.Equal("acc1", events["account_created"].Property("account_id"));
        Assert.Equal("c@d.e", events["account_added_user"].Property("user_email"));
        Assert.Equal("core", events["feature_used"].Property("feature_type"));
        Assert.Equal("admin", events["feature_used"].Property("user_role"));
        Assert.Equal("complete", events["profile_completed"].Property("completion_status"));
        Assert.Equal("member", events["invite_sent"].Property("invitee_role"));
        Assert.Equal("/p", events["page_visit"].Property("page_path"));
        Assert.Equal("email", events["page_visit"].Property("utm_medium"));
    }

    private static Dictionary<string, object?> Nest(int depth)
    {
        var root = new Dictionary<string, object?>();
        var current = root;
        for (var i = 1; i < depth; i++)
        {
            var child = new Dictionary<string, object?>();
            current["c"] = child;
            current = child;
        }
        current["leaf"] = 1;
        return root;
    }

    private static ThriveStackEvent ManyProperties(int count)
    {
        var e = new ThriveStackEvent("report_exported", "u1");
        for (var i = 0; i < count; i++)
            e.WithProperty("p" + i, i);
        return e;
    }
}
