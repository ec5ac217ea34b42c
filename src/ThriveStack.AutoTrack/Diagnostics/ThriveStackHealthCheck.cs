using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// The <c>thrivestack</c> health check (tag <c>thrivestack</c>), registered by <c>AddThriveStack</c>. Healthy while
/// events are delivered; Degraded while retrying, rate limited, backlogged (the in-memory queue half full, or at least
/// <see cref="ThriveStackOptions.MaxQueueSize"/> events in the spool) or when no API key is set; Unhealthy while the
/// API key is refused. The data carries the queue and spool sizes and the delivery state.
/// </summary>
/// <remarks>It reports; it never sends anything. Map it with <c>app.MapHealthChecks("/health")</c>.</remarks>
internal sealed class ThriveStackHealthCheck(IDeliveryMonitor dispatcher, IOptions<ThriveStackOptions> options, TimeProvider time, LocalEventLog? eventsPage = null) : IHealthCheck
{
    /// <summary>The name and tag the check is registered under.</summary>
    public const string Name = "thrivestack";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var state = dispatcher.State; // one snapshot: status, resume time and last delivery agree
        var data = new Dictionary<string, object>
        {
            ["state"] = eventsPage?.IsLocalDelivery == true ? "local" : StateName(state.Status),
            ["queue_length"] = dispatcher.QueueLength,
            ["spool_events"] = dispatcher.BacklogCount,
            ["spool_bytes"] = dispatcher.BacklogBytes,
            ["spool_durable"] = dispatcher.BacklogIsDurable,
        };
        if (state.LastDeliveredAt is { } last)
            data["last_delivered_at"] = last.ToString("O", CultureInfo.InvariantCulture);
        if (!state.IsOpen)
            data["retry_at"] = state.ResumeAt.ToString("O", CultureInfo.InvariantCulture);

        var result = Evaluate(o, state, data);
        return Task.FromResult(result);
    }

    private HealthCheckResult Evaluate(ThriveStackOptions o, DeliveryState state, Dictionary<string, object> data)
    {
        if (!o.Enabled)
            return HealthCheckResult.Healthy("Tracking is disabled (ThriveStack:Enabled is false).", data);
        if (eventsPage?.IsLocalDelivery == true)
            return HealthCheckResult.Healthy("Development without an API key: events are kept in the app for the events page (/_thrivestack/events), not sent.", data);
        if (!dispatcher.IsSending)
            return HealthCheckResult.Degraded("No API key is configured (ThriveStack:ApiKey), so events are not sent.", data: data);

        var retryIn = state.ResumeAt - time.GetUtcNow();
        var seconds = Math.Max(0, (int)Math.Ceiling(retryIn.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        switch (state.Status)
        {
            case DeliveryStatus.KeyRefused:
                return HealthCheckResult.Unhealthy($"The track API refuses the API key; sending is paused (next try in {seconds} s). Set a valid ThriveStack:ApiKey.", data: data);
            case DeliveryStatus.RateLimited:
                return HealthCheckResult.Degraded($"The track API is rate limiting; sending resumes in {seconds} s.", data: data);
            case DeliveryStatus.Retrying:
                return HealthCheckResult.Degraded($"The track API is failing; retrying in {seconds} s.", data: data);
        }
        if (dispatcher.QueueLength >= o.MaxQueueSize / 2 || dispatcher.BacklogCount >= o.MaxQueueSize)
            return HealthCheckResult.Degraded("Events are backlogged: the track API is not keeping up.", data: data);
        return HealthCheckResult.Healthy("Delivering events.", data);
    }

    private static string StateName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Retrying => "retrying",
        DeliveryStatus.RateLimited => "rate_limited",
        DeliveryStatus.KeyRefused => "key_refused",
        _ => "delivering",
    };
}
