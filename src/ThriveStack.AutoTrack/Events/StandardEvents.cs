namespace ThriveStack.AutoTrack.Events;

/// <summary>The names of ThriveStack's standard lifecycle events, as the track API lists them.</summary>
public static class StandardEvents
{
    /// <summary><c>signed_up</c>: a new user completed registration.</summary>
    public const string SignedUp = "signed_up";

    /// <summary><c>account_created</c>: a new workspace or organisation was created.</summary>
    public const string AccountCreated = "account_created";

    /// <summary><c>account_added_user</c>: a user was linked to an existing account.</summary>
    public const string AccountAddedUser = "account_added_user";

    /// <summary><c>feature_used</c>: a user engaged with a product feature.</summary>
    public const string FeatureUsed = "feature_used";

    /// <summary><c>profile_completed</c>: a user completed an onboarding step.</summary>
    public const string ProfileCompleted = "profile_completed";

    /// <summary><c>invite_sent</c>: a user invited another person.</summary>
    public const string InviteSent = "invite_sent";

    /// <summary><c>page_visit</c>: a user visited a page.</summary>
    public const string PageVisit = "page_visit";

    /// <summary>Whether <paramref name="eventName"/> is one of the standard event names.</summary>
    /// <param name="eventName">The name to look up (case-sensitive).</param>
    public static bool IsStandard(string eventName) => eventName switch
    {
        SignedUp or AccountCreated or AccountAddedUser or FeatureUsed
            or ProfileCompleted or InviteSent or PageVisit => true,
        _ => false,
    };
}
