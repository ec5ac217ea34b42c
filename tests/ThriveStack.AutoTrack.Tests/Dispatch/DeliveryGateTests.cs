using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The delivery gate alone, on a fake clock: no HTTP, no loops, no real-time waits.</summary>
public class DeliveryGateTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = new();
    private int _changes;

    [Fact]
    public void TransientFailures_BackOffWithJitterUpToTheCap_AndResetOnDelivery()
    {
        var gate = Gate(o => { o.RetryBaseDelay = TimeSpan.FromSeconds(1); o.RetryMaxDelay = TimeSpan.FromSeconds(8); });
        var waits = new List<TimeSpan>();

        for (var i = 0; i < 6; i++)
        {
            gate.Failed(new SendResult(SendOutcome.Transient, 503), 10, "the spool");
            waits.Add(gate.State.ResumeAt - _time.GetUtcNow());
            Assert.Equal(DeliveryStatus.Retrying, gate.State.Status);
        }
        // After the n-th failure in a row: between 100 ms and min(8 s, 1 s × 2^(n-1)).
        double[] ceilings = [1, 2, 4, 8, 8, 8];
        for (var i = 0; i < waits.Count; i++)
            Assert.InRange(waits[i].TotalSeconds, 0.1, ceilings[i]);

        gate.Delivered();
        gate.Failed(new SendResult(SendOutcome.Transient, 503), 10, "the spool");

        Assert.InRange((gate.State.ResumeAt - _time.GetUtcNow()).TotalSeconds, 0.1, 1); // the exponent starts again
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == LogEvents.DeliveryResumed);
    }

    [Fact]
    public void Failures_LoggedAtMostOncePer10Seconds_WithTheSuppressedCount()
    {
        var gate = Gate();

        for (var i = 0; i < 5; i++)
            gate.Failed(new SendResult(SendOutcome.Transient, 500), 10, "the spool");
        _time.Advance(TimeSpan.FromSeconds(10));
        gate.Failed(new SendResult(SendOutcome.Transient, 500), 10, "the spool");

        var lines = Lines(LogEvents.BatchFailed);
        Assert.Equal(2, lines.Count);
        Assert.Contains("Similar messages suppressed since the last one: 4.", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimited_PausesForRetryAfter_CappedAtAnHour_LoggedApartFromFailures()
    {
        var gate = Gate();
        gate.Failed(new SendResult(SendOutcome.Transient, 500), 10, "the spool");

        gate.Failed(new SendResult(SendOutcome.RateLimited, 429, RetryAfter: TimeSpan.FromSeconds(30)), 10, "the spool");
        Assert.Equal(DeliveryStatus.RateLimited, gate.State.Status);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), gate.State.ResumeAt);

        gate.Failed(new SendResult(SendOutcome.RateLimited, 429, RetryAfter: TimeSpan.FromDays(2)), 10, "the spool");
        Assert.Equal(_time.GetUtcNow() + DeliveryGate.MaxRetryAfter, gate.State.ResumeAt);
        // The 429 has its own throttle: a 5xx line just before does not swallow it.
        Assert.Single(Lines(LogEvents.BatchFailed));
        Assert.Single(Lines(LogEvents.RateLimited));
    }

    [Fact]
    public void RateLimited_WithoutRetryAfter_BacksOffAsForServerErrors()
    {
        var gate = Gate();

        gate.Failed(new SendResult(SendOutcome.RateLimited, 429), 10, "the spool");

        Assert.Equal(DeliveryStatus.Retrying, gate.State.Status);
        Assert.InRange((gate.State.ResumeAt - _time.GetUtcNow()).TotalSeconds, 0.1, 1);
    }

    [Fact]
    public void KeyRefused_PausesForTheProbeInterval_LoggedOnceUntilAccepted_ThenAcceptedWithTheDuration()
    {
        var gate = Gate(o => o.KeyRefusedRetryInterval = TimeSpan.FromMinutes(5));

        gate.Failed(new SendResult(SendOutcome.Unauthorized, 401), 10, "the spool");
        Assert.Equal(DeliveryStatus.KeyRefused, gate.State.Status);
        Assert.False(gate.MaySend);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(gate.MaySend); // the probe
        gate.Failed(new SendResult(SendOutcome.Unauthorized, 403), 1, "the spool");
        _time.Advance(TimeSpan.FromMinutes(5));
        gate.Delivered();

        Assert.Single(Lines(LogEvents.KeyRefused));
        var accepted = Assert.Single(Lines(LogEvents.KeyAccepted));
        Assert.Contains("00:10:00", accepted.Message, StringComparison.Ordinal);
        Assert.True(gate.State.IsOpen);
        Assert.Equal(_time.GetUtcNow(), gate.State.LastDeliveredAt);
    }

    [Fact]
    public void Redirect_LoggedOncePerLocation_AgainAfterADelivery()
    {
        var gate = Gate();

        gate.Failed(new SendResult(SendOutcome.Redirected, 301, Detail: "https://a.example/moved"), 10, "the spool");
        gate.Failed(new SendResult(SendOutcome.Redirected, 301, Detail: "https://a.example/moved"), 10, "the spool");
        gate.Failed(new SendResult(SendOutcome.Redirected, 301, Detail: "https://b.example/moved"), 10, "the spool");
        gate.Delivered();
        gate.Failed(new SendResult(SendOutcome.Redirected, 301, Detail: "https://b.example/moved"), 10, "the spool");

        Assert.Equal(3, Lines(LogEvents.EndpointRedirected).Count);
        Assert.Equal(DeliveryStatus.Retrying, gate.State.Status);
    }

    [Fact]
    public void EveryChangeOfState_IsAnnounced_ADeliveryWhileOpenIsNot()
    {
        var gate = Gate();

        gate.Delivered();
        Assert.Equal(0, _changes);
        gate.Failed(new SendResult(SendOutcome.Transient, 500), 1, "memory");
        gate.Backoff();
        gate.Delivered();

        Assert.Equal(3, _changes);
    }

    [Fact]
    public void State_IsOneImmutableSnapshot()
    {
        var gate = Gate();
        var before = gate.State;

        gate.Failed(new SendResult(SendOutcome.Transient, 500), 1, "memory");

        Assert.Equal(DeliveryStatus.Delivering, before.Status); // what a reader took stays as it was
        Assert.NotSame(before, gate.State);
    }

    private DeliveryGate Gate(Action<ThriveStackOptions>? configure = null)
    {
        var options = new ThriveStackOptions();
        configure?.Invoke(options);
        return new DeliveryGate(options, _time, _logger, () => _changes++, new Random(20261201));
    }

    private List<FakeLogRecord> Lines(int eventId) => _logger.Collector.GetSnapshot().Where(r => r.Id.Id == eventId).ToList();
}
