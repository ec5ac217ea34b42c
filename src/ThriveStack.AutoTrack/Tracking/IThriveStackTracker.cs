using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// Sends events to ThriveStack. Registered as a singleton by <c>AddThriveStack</c>; safe to call from any thread.
/// <see cref="Track(ThriveStackEvent)"/> never blocks and never throws: it validates the event and queues it for the
/// background dispatcher. Typed helpers for the standard events are in <see cref="ThriveStackTrackerExtensions"/>.
/// </summary>
public interface IThriveStackTracker
{
    /// <summary>
    /// Validates <paramref name="trackEvent"/>, stamps its <see cref="ThriveStackEvent.Timestamp"/> when unset, and queues it.
    /// </summary>
    /// <param name="trackEvent">The event; do not change it after this call.</param>
    /// <returns>
    /// True when the event was queued for delivery; false when it was dropped (tracking disabled or no API key, invalid
    /// event, full queue, host stopping). Every drop is counted on the <c>thrivestack.events.dropped</c> counter and logged.
    /// </returns>
    bool Track(ThriveStackEvent trackEvent);

    /// <summary>
    /// Completes when every event queued before the call has been sent or dropped. For short-lived hosts and tests;
    /// web apps need not call it, since stopping the host drains the queue.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the events stay queued).</param>
    /// <returns>A task that completes when the queue up to this call is drained.</returns>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
