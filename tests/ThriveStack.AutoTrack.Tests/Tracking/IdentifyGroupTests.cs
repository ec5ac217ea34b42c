using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Testing;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Tracking;

/// <summary>Identify and group records through their own pipelines, against the real collector's three endpoints.</summary>
public class IdentifyGroupTests : CollectorTestBase
{
    [Fact]
    public async Task IdentifyAndGroup_ArriveAtTheirEndpoints_InTheApisWireFormat()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);
        var at = new DateTimeOffset(2026, 11, 30, 10, 0, 0, 123, TimeSpan.Zero);

        Assert.True(host.Tracker.Identify(new ThriveStackUser
        {
            UserId = "u_42",
            GroupId = "acct_7",
            Timestamp = at,
            Email = "ada@acme.test",
            FirstName = "Ada",
            JobTitle = "CTO",
            PhoneNumbers = ["+1 555 0100"],
            Traits = { ["plan_tier"] = "pro", ["ignored_null"] = null },
        }));
        Assert.True(host.Tracker.Group(new ThriveStackGroup
        {
            GroupId = "acct_7",
            UserId = "u_42",
            GroupType = "Account",
            Timestamp = at,
            Name = "Acme",
            Domain = "acme.test",
            PlanName = "Pro",
            Employees = 42,
        }));
        await host.Tracker.FlushAsync();

        var identify = Assert.Single(Collector.Identifies);
        Assert.Equal(
            """{"user_id":"u_42","timestamp":"2026-11-30T10:00:00.123Z","traits":{"plan_tier":"pro","email":"ada@acme.test","enrichment_first_name":"Ada","enrichment_phone":["+1 555 0100"],"enrichment_employment_title":"CTO"},"context":{"group_id":"acct_7"}}""",
            identify.Json.GetRawText());
        var group = Assert.Single(Collector.Groups);
        Assert.Equal(
            """{"group_id":"acct_7","user_id":"u_42","timestamp":"2026-11-30T10:00:00.123Z","traits":{"group_type":"Account","name":"Acme","domain":"acme.test","planName":"Pro","enrichment_employees":42}}""",
            group.Json.GetRawText());
        Assert.Empty(Collector.Events);
        Assert.Empty(Collector.Batches); // nothing went to /api/track
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Where(m => Equals(m.Tags["kind"], "identify")).Sum(m => m.Value));
        Assert.Equal(1, host.Sent.GetMeasurementSnapshot().Where(m => Equals(m.Tags["kind"], "group")).Sum(m => m.Value));
    }

    [Fact]
    public async Task GroupEndpointDown_OnlyGroupRecordsWait_AndNoneIsLost()
    {
        Collector.SetFault(ThriveStackCollector.GroupPath, CollectorFault.Status(503));
        await using var host = await TrackingHost.CreateAsync(Collector, o =>
        {
            o.RetryBaseDelay = TimeSpan.FromSeconds(1);
            o.RetryMaxDelay = TimeSpan.FromSeconds(2);
        });

        for (var i = 0; i < 20; i++)
        {
            host.Tracker.Track(new ThriveStackEvent("report_exported", "u" + i));
            host.Tracker.Identify(new ThriveStackUser { UserId = "u" + i, Email = $"u{i}@acme.test" });
            host.Tracker.Group(new ThriveStackGroup { GroupId = "g" + (i % 4), UserId = "u" + i, GroupType = "Team" });
        }
        await Collector.WaitForEventsAsync(20);
        await Collector.WaitForIdentifyAsync(r => r.UserId == "u19");
        Assert.Equal(20, Collector.Identifies.Count);
        Assert.Empty(Collector.Groups);
        await Wait.UntilAsync(() => Collector.GroupBatches.Any(b => b.StatusCode == 503));
        Assert.Equal(DeliveryStatus.Delivering, host.Dispatcher.Status); // track is not paused by group's outage
        var group = host.Host.Services.GetRequiredService<DeliveryPipelines>()[RecordKind.Group];
        await Wait.UntilAsync(() => group.Status == DeliveryStatus.Retrying); // between retries (a retry in flight shows open)
        var health = (await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["thrivestack"];
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("The group API is failing", health.Description, StringComparison.Ordinal);
        Assert.Equal("delivering", health.Data["state"]);
        Assert.Equal("retrying", health.Data["group_state"]);
        Assert.Equal("delivering", health.Data["identify_state"]);
        // The log names the endpoint that fails, not the track API.
        var failed = host.LogsWithId(LogEvents.BatchFailed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, l => Assert.StartsWith("ThriveStack: the group API did not take a batch", l.Message, StringComparison.Ordinal));

        Collector.SetFault(ThriveStackCollector.GroupPath, null);
        await Wait.UntilAsync(() => Collector.Groups.Count >= 20);
        await host.Tracker.FlushAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "u" + i).Order(), Collector.Groups.Select(g => g.UserId).Order());
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Restart_GroupAndIdentifyRecordsSpooledDuringAnOutage_AreDeliveredByTheNextHost()
    {
        Collector.SetFault(CollectorFault.Status(503));
        var spool = Path.Combine(Path.GetTempPath(), "autotrack-tests", Guid.NewGuid().ToString("N"), "spool.db");
        try
        {
            await using (var first = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = spool))
            {
                for (var i = 0; i < 10; i++)
                {
                    first.Tracker.Identify(new ThriveStackUser { UserId = "u" + i });
                    first.Tracker.Group(new ThriveStackGroup { GroupId = "g", UserId = "u" + i, GroupType = "Account" });
                }
                await first.Tracker.FlushAsync(); // paused: done once they wait in the backlog
            }
            Assert.True(File.Exists(SpoolLocation.ForKind(spool, RecordKind.Identify)));
            Assert.True(File.Exists(SpoolLocation.ForKind(spool, RecordKind.Group)));
            Assert.Empty(Collector.Identifies);

            Collector.SetFault(null);
            await using var second = await TrackingHost.CreateAsync(Collector, o => o.SpoolPath = spool);
            await Wait.UntilAsync(() => Collector.Identifies.Count >= 10 && Collector.Groups.Count >= 10, () => $"identifies {Collector.Identifies.Count}, groups {Collector.Groups.Count}, batches {Collector.IdentifyBatches.Count}/{Collector.GroupBatches.Count}; " + string.Join("\n", second.Logs.GetSnapshot().Select(l => l.Message)));
            Assert.Equal(10, Collector.Identifies.Select(r => r.UserId).Distinct().Count());
            Assert.Equal(10, Collector.Groups.Select(r => r.UserId).Distinct().Count());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(spool)!, recursive: true);
        }
    }

    [Fact]
    public async Task InvalidRecords_AreDroppedCountedByKindAndLoggedByField_NeverByValue()
    {
        await using var host = await TrackingHost.CreateAsync(Collector);

        Assert.False(host.Tracker.Identify(new ThriveStackUser { Email = "ada@acme.test" })); // no user outside a request
        Assert.False(host.Tracker.Identify(new ThriveStackUser { UserId = "u1", Email = "u_7f3a9" })); // an id where the e-mail goes
        Assert.False(host.Tracker.Group(new ThriveStackGroup { UserId = "u1", GroupType = "Account" })); // no group
        Assert.False(host.Tracker.Group(new ThriveStackGroup { GroupId = "g1", UserId = "u1", GroupType = " " }));
        Assert.False(host.Tracker.Identify(null!));
        await host.Tracker.FlushAsync();

        var invalid = host.Dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], DropReasons.Invalid)).ToList();
        Assert.Equal(3, invalid.Where(m => Equals(m.Tags["kind"], "identify")).Sum(m => m.Value));
        Assert.Equal(2, invalid.Where(m => Equals(m.Tags["kind"], "group")).Sum(m => m.Value));
        var log = Assert.Single(host.LogsWithId(LogEvents.EventInvalid)); // throttled: one line, the rest counted
        Assert.Contains("/api/identify", log.Message, StringComparison.Ordinal);
        Assert.Contains("user_id is missing", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), l => l.Message.Contains("u_7f3a9", StringComparison.Ordinal));
        Assert.Empty(Collector.Identifies);
        Assert.Empty(Collector.Groups);
    }

    [Fact]
    public async Task Endpoint_IdentifyAndGroupUrlsDeriveFromIt_OrAreSetEach()
    {
        var options = new ThriveStackOptions();
        Assert.Equal("https://api.app.thrivestack.ai/api/identify", options.EndpointOf(RecordKind.Identify).ToString());
        Assert.Equal("https://api.app.thrivestack.ai/api/group", options.EndpointOf(RecordKind.Group).ToString());

        options.Endpoint = new Uri("http://127.0.0.1:5099/ingest/v1/track?region=eu");
        Assert.Equal("http://127.0.0.1:5099/ingest/v1/identify?region=eu", options.EndpointOf(RecordKind.Identify).ToString());
        Assert.Equal("http://127.0.0.1:5099/ingest/v1/group?region=eu", options.EndpointOf(RecordKind.Group).ToString());
        options.GroupEndpoint = new Uri("https://groups.example.com/g");
        Assert.Equal("https://groups.example.com/g", options.EndpointOf(RecordKind.Group).ToString());

        // An override is checked as the track endpoint is: no API key in clear text to a remote host.
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var host = await TrackingHost.CreateAsync(Collector, o => o.IdentifyEndpoint = new Uri("http://example.com/api/identify"));
        });
        Assert.Contains("ThriveStack:IdentifyEndpoint", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flush_WaitsForAllThreeKinds()
    {
        Collector.SetFault(CollectorFault.Slow(TimeSpan.FromMilliseconds(300)));
        await using var host = await TrackingHost.CreateAsync(Collector);

        host.Tracker.Track(new ThriveStackEvent("report_exported", "u1"));
        host.Tracker.Identify(new ThriveStackUser { UserId = "u1" });
        host.Tracker.Group(new ThriveStackGroup { GroupId = "g1", UserId = "u1", GroupType = "Account" });
        await host.Tracker.FlushAsync();

        Assert.Single(Collector.Events);
        Assert.Single(Collector.Identifies);
        Assert.Single(Collector.Groups);
    }

    [Theory]
    [InlineData("identify", """{"user_id":"u","timestamp":"2026-11-30T10:00:00Z","context":{"group_id":"g"}}""", null)]
    [InlineData("identify", """{"timestamp":"2026-11-30T10:00:00Z"}""", "'user_id' is required")]
    [InlineData("identify", """{"user_id":"u","timestamp":"2026-11-30T10:00:00+01:00"}""", "is not ISO 8601 UTC ending in Z")]
    [InlineData("identify", """{"user_id":"u","timestamp":"2026-11-30T10:00:00Z","traits":{"email":"u_1"}}""", "trait 'email' must be an e-mail address")]
    [InlineData("identify", """{"user_id":"u","timestamp":"2026-11-30T10:00:00Z","traits":{"enrichment_phone":"+1"}}""", "must be an array of strings")]
    [InlineData("identify", """{"user_id":"u","timestamp":"2026-11-30T10:00:00Z","event_name":"x"}""", "unknown field 'event_name'")]
    [InlineData("group", """{"group_id":"g","user_id":"u","timestamp":"2026-11-30T10:00:00Z","traits":{"group_type":"Team"}}""", null)]
    [InlineData("group", """{"group_id":"g","user_id":"u","timestamp":"2026-11-30T10:00:00Z"}""", "'traits.group_type' is required")]
    [InlineData("group", """{"user_id":"u","timestamp":"2026-11-30T10:00:00Z","traits":{"group_type":"Team"}}""", "'group_id' is required")]
    [InlineData("group", """{"group_id":"g","user_id":"u","timestamp":"2026-11-30T10:00:00Z","traits":{"group_type":"Team","enrichment_employees":"many"}}""", "must be an integer")]
    public void Contract_IdentifyAndGroupRecords_CheckedAsTheApiDocumentsThem(string kind, string json, string? problem)
    {
        using var document = JsonDocument.Parse(json);
        var problems = TraitsContractRules.ValidateRecord(kind == "group" ? RecordKind.Group : RecordKind.Identify, document.RootElement);
        if (problem is null)
            Assert.Empty(problems);
        else
            Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }
}
