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
    /// Queues an identify record for ThriveStack's identify API (<c>/api/identify</c>): who <paramref name="user"/> is.
    /// Inside a request, a user left without <see cref="ThriveStackUser.UserId"/> is the signed-in user. Delivered with the
    /// same guarantees as events (batching, retries, spool), through its own pipeline.
    /// </summary>
    /// <param name="user">The user and their traits; do not change it after this call.</param>
    /// <returns>True when queued; false when dropped (as for <see cref="Track(ThriveStackEvent)"/>, counted with <c>kind</c> <c>identify</c>).</returns>
    bool Identify(ThriveStackUser user);

    /// <summary>
    /// Queues a group record for ThriveStack's group API (<c>/api/group</c>): a user's membership of a group and the group's
    /// traits. Inside a request, a missing <see cref="ThriveStackGroup.GroupId"/> or <see cref="ThriveStackGroup.UserId"/>
    /// is the request's account or signed-in user.
    /// </summary>
    /// <param name="group">The group, its type and traits; do not change it after this call.</param>
    /// <returns>True when queued; false when dropped (counted with <c>kind</c> <c>group</c>).</returns>
    bool Group(ThriveStackGroup group);

    /// <summary>
    /// Completes when every event, identify and group record queued before the call has been sent or dropped. For short-lived hosts and tests;
    /// web apps need not call it, since stopping the host drains the queue.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the events stay queued).</param>
    /// <returns>A task that completes when the queue up to this call is drained.</returns>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
