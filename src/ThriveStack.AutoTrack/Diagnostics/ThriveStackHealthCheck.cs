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
/// API key is refused. The identify and group pipelines count too: one of them paused makes the check Degraded (Unhealthy
/// for a refused key), named in the description. The data carries the queue and spool sizes and the delivery state, and
/// <c>identify_state</c>/<c>group_state</c> with their spool sizes.
/// </summary>
/// <remarks>It reports; it never sends anything. Map it with <c>app.MapHealthChecks("/health")</c>.</remarks>
internal sealed class ThriveStackHealthCheck(IDeliveryMonitor dispatcher, IOptions<ThriveStackOptions> options, TimeProvider time, LocalEventLog? eventsPage = null, DeliveryPipelines? pipelines = null) : IHealthCheck
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
        foreach (var other in Others())
        {
            var name = other.Kind.Name();
            data[name + "_state"] = StateName(other.State.Status);
            data[name + "_spool_events"] = other.BacklogCount;
        }

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

        if (Paused(RecordKind.Track, state, data) is { } paused)
            return paused;
        if (dispatcher.QueueLength >= o.MaxQueueSize / 2 || dispatcher.BacklogCount >= o.MaxQueueSize)
            return HealthCheckResult.Degraded("Events are backlogged: the track API is not keeping up.", data: data);
        foreach (var other in Others())
        {
            if (Paused(other.Kind, other.State, data) is { } otherPaused)
                return otherPaused;
        }
        return HealthCheckResult.Healthy("Delivering events.", data);
    }

    /// <summary>The result while <paramref name="kind"/>'s pipeline is paused, or null while it delivers.</summary>
    private HealthCheckResult? Paused(RecordKind kind, DeliveryState state, Dictionary<string, object> data)
    {
        var retryIn = state.ResumeAt - time.GetUtcNow();
        var seconds = Math.Max(0, (int)Math.Ceiling(retryIn.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var api = "The " + kind.Name() + " API";
        return state.Status switch
        {
            DeliveryStatus.KeyRefused => HealthCheckResult.Unhealthy($"{api} refuses the API key; sending is paused (next try in {seconds} s). Set a valid ThriveStack:ApiKey.", data: data),
            DeliveryStatus.RateLimited => HealthCheckResult.Degraded($"{api} is rate limiting; sending resumes in {seconds} s.", data: data),
            DeliveryStatus.Retrying => HealthCheckResult.Degraded($"{api} is failing; retrying in {seconds} s.", data: data),
            _ => null,
        };
    }

    /// <summary>The identify and group pipelines, when registered.</summary>
    private IEnumerable<EventDispatcher> Others() => pipelines?.All.Where(p => p.Kind != RecordKind.Track) ?? [];

    private static string StateName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Retrying => "retrying",
        DeliveryStatus.RateLimited => "rate_limited",
        DeliveryStatus.KeyRefused => "key_refused",
        _ => "delivering",
    };
}
