using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// Typed helpers for ThriveStack's standard events. Each builds the event with the key properties the track API lists
/// and calls <see cref="IThriveStackTracker.Track(ThriveStackEvent)"/>. A null <c>userId</c> is filled in from the current
/// request when there is one.
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

    /// <summary>Tracks <c>signed_up</c>: a new user completed registration.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="userId">The new user's id.</param>
    /// <param name="userEmail">Wire name <c>user_email</c>.</param>
    /// <param name="userName">Wire name <c>user_name</c>.</param>
    /// <param name="utm">The UTM parameters the user arrived with.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackSignedUp(this IThriveStackTracker tracker, string? userId, string? userEmail = null, string? userName = null, UtmParameters? utm = null)
        => Checked(tracker).Track(ThriveStackEvent.SignedUp(userId, userEmail, userName, utm));

    /// <summary>Tracks <c>account_created</c>: a new workspace or organisation; its id is also the event's group.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="userId">The user who created it.</param>
    /// <param name="accountId">Wire name <c>account_id</c>.</param>
    /// <param name="accountName">Wire name <c>account_name</c>.</param>
    /// <param name="accountDomain">Wire name <c>account_domain</c>.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackAccountCreated(this IThriveStackTracker tracker, string? userId, string accountId, string? accountName = null, string? accountDomain = null)
        => Checked(tracker).Track(ThriveStackEvent.AccountCreated(userId, accountId, accountName, accountDomain));

    /// <summary>Tracks <c>account_added_user</c>: a user was linked to an existing account.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="userId">The user who was added.</param>
    /// <param name="accountId">The account (the event's group).</param>
    /// <param name="accountName">Wire name <c>account_name</c>.</param>
    /// <param name="userEmail">Wire name <c>user_email</c>.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackAccountAddedUser(this IThriveStackTracker tracker, string? userId, string? accountId, string? accountName = null, string? userEmail = null)
        => Checked(tracker).Track(ThriveStackEvent.AccountAddedUser(userId, accountId, accountName, userEmail));

    /// <summary>Tracks <c>feature_used</c>.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="featureName">Wire name <c>feature_name</c>.</param>
    /// <param name="featureType">Wire name <c>feature_type</c>; see <see cref="FeatureTypes"/>.</param>
    /// <param name="userRole">Wire name <c>user_role</c>.</param>
    /// <param name="userId">The user; null to take it from the current request.</param>
    /// <param name="groupId">The account; null to take it from the current request.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackFeatureUsed(this IThriveStackTracker tracker, string featureName, string? featureType = null, string? userRole = null, string? userId = null, string? groupId = null)
        => Checked(tracker).Track(ThriveStackEvent.FeatureUsed(userId, featureName, featureType, userRole, groupId));

    /// <summary>Tracks <c>profile_completed</c>: an onboarding step was completed.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="completionStatus">Wire name <c>completion_status</c>.</param>
    /// <param name="userRole">Wire name <c>user_role</c>.</param>
    /// <param name="userId">The user; null to take it from the current request.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackProfileCompleted(this IThriveStackTracker tracker, string? completionStatus = null, string? userRole = null, string? userId = null)
        => Checked(tracker).Track(ThriveStackEvent.ProfileCompleted(userId, completionStatus, userRole));

    /// <summary>Tracks <c>invite_sent</c>.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="inviteeEmail">Wire name <c>invitee_email</c>.</param>
    /// <param name="inviteeRole">Wire name <c>invitee_role</c>.</param>
    /// <param name="featureName">Wire name <c>feature_name</c>.</param>
    /// <param name="userId">The inviting user; null to take it from the current request.</param>
    /// <param name="groupId">The account; null to take it from the current request.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackInviteSent(this IThriveStackTracker tracker, string? inviteeEmail, string? inviteeRole = null, string? featureName = null, string? userId = null, string? groupId = null)
        => Checked(tracker).Track(ThriveStackEvent.InviteSent(userId, inviteeEmail, inviteeRole, featureName, groupId));

    /// <summary>Tracks <c>page_visit</c>. <c>UseThriveStackTracking()</c> does this for every page by itself; use it for pages it cannot see (e.g. client-side routes).</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="pageUrl">Wire name <c>page_url</c>.</param>
    /// <param name="pagePath">Wire name <c>page_path</c>.</param>
    /// <param name="pageReferrer">Wire name <c>page_referrer</c>.</param>
    /// <param name="pageTitle">Wire name <c>page_title</c>.</param>
    /// <param name="utm">UTM parameters of the visit.</param>
    /// <param name="userId">The visitor; null to take it from the current request.</param>
    /// <returns>Whether the event was queued.</returns>
    public static bool TrackPageVisit(this IThriveStackTracker tracker, string pageUrl, string? pagePath = null, string? pageReferrer = null, string? pageTitle = null, UtmParameters? utm = null, string? userId = null)
        => Checked(tracker).Track(ThriveStackEvent.PageVisit(userId, pageUrl, pagePath, pageReferrer, pageTitle, utm));

    private static IThriveStackTracker Checked(IThriveStackTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker;
    }
}
