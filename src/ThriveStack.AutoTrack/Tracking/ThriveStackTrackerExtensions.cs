using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// <c>Track</c> by name with free-form properties, and <c>Track</c> of a typed standard event (<see cref="StandardEvent"/>).
/// A null user id is filled in from the current request when there is one.
/// </summary>
public static class ThriveStackTrackerExtensions
{
    /// <summary>Tracks an event by name with optional properties.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="eventName">Object + past-tense verb in snake_case, e.g. <c>report_shared</c>.</param>
    /// <param name="properties">Free-form properties; see <see cref="ThriveStackEvent.Properties"/>.</param>
    /// <param name="userId">The user; null to take it from the current request.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool Track(this IThriveStackTracker tracker, string eventName, Dictionary<string, object?>? properties = null, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker.Track(new ThriveStackEvent(eventName, userId) { Properties = properties });
    }

    /// <summary>
    /// Tracks one of the standard events with its typed members, e.g.
    /// <c>tracker.Track(new InviteSentEvent { InviteeEmail = "ann@acme.test", InviteeRole = "admin" })</c>.
    /// </summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="standardEvent">The event: <see cref="SignedUpEvent"/>, <see cref="AccountCreatedEvent"/>,
    /// <see cref="AccountAddedUserEvent"/>, <see cref="FeatureUsedEvent"/>, <see cref="ProfileCompletedEvent"/>,
    /// <see cref="InviteSentEvent"/> or <see cref="PageVisitEvent"/>.</param>
    /// <returns>Whether the event was queued (false, counted and logged, when it is invalid: an e-mail member that is not an e-mail address, for example).</returns>
    public static bool Track(this IThriveStackTracker tracker, StandardEvent standardEvent)
    {
        ArgumentNullException.ThrowIfNull(standardEvent);
        return Checked(tracker).Track(standardEvent.ToEvent());
    }

    private static IThriveStackTracker Checked(IThriveStackTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker;
    }
}
