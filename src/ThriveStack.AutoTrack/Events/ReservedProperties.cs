namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// Property names the track API gives special handling, and the key properties of the standard events.
/// </summary>
public static class ReservedProperties
{
    /// <summary><c>revenue</c> (number): dollar amount associated with the event, in decimal format (49.99).</summary>
    public const string Revenue = "revenue";

    /// <summary><c>currency</c> (string): ISO 4217 code; AutoTrack sets <c>USD</c> when <c>revenue</c> is set without it.</summary>
    public const string Currency = "currency";

    /// <summary><c>value</c> (number): abstract numeric value for non-revenue events.</summary>
    public const string Value = "value";

    /// <summary><c>feature_name</c> (string): the product feature involved.</summary>
    public const string FeatureName = "feature_name";

    /// <summary><c>feature_type</c> (string): <c>core</c>, <c>secondary</c> or <c>add-on</c>.</summary>
    public const string FeatureType = "feature_type";

    /// <summary><c>page_url</c> (string): full URL of the page.</summary>
    public const string PageUrl = "page_url";

    /// <summary><c>page_path</c> (string): path portion of the URL.</summary>
    public const string PagePath = "page_path";

    /// <summary><c>page_referrer</c> (string): URL of the referring page.</summary>
    public const string PageReferrer = "page_referrer";

    /// <summary><c>page_title</c> (string): title of the page.</summary>
    public const string PageTitle = "page_title";

    /// <summary><c>utm_source</c> (string): UTM source parameter.</summary>
    public const string UtmSource = "utm_source";

    /// <summary><c>utm_medium</c> (string): UTM medium parameter.</summary>
    public const string UtmMedium = "utm_medium";

    /// <summary><c>utm_campaign</c> (string): UTM campaign parameter.</summary>
    public const string UtmCampaign = "utm_campaign";

    /// <summary><c>utm_term</c> (string): UTM term parameter.</summary>
    public const string UtmTerm = "utm_term";

    /// <summary><c>utm_content</c> (string): UTM content parameter.</summary>
    public const string UtmContent = "utm_content";

    /// <summary><c>user_email</c> (string): key property of <c>signed_up</c> and <c>account_added_user</c>.</summary>
    public const string UserEmail = "user_email";

    /// <summary><c>user_name</c> (string): the user's display name.</summary>
    public const string UserName = "user_name";

    /// <summary><c>user_role</c> (string): key property of <c>feature_used</c> and <c>profile_completed</c>.</summary>
    public const string UserRole = "user_role";

    /// <summary><c>account_name</c> (string): key property of <c>account_created</c> and <c>account_added_user</c>.</summary>
    public const string AccountName = "account_name";

    /// <summary><c>account_domain</c> (string): key property of <c>account_created</c>.</summary>
    public const string AccountDomain = "account_domain";

    /// <summary><c>account_id</c> (string): key property of <c>account_created</c>.</summary>
    public const string AccountId = "account_id";

    /// <summary><c>completion_status</c> (string): key property of <c>profile_completed</c>.</summary>
    public const string CompletionStatus = "completion_status";

    /// <summary><c>invitee_email</c> (string): key property of <c>invite_sent</c>.</summary>
    public const string InviteeEmail = "invitee_email";

    /// <summary><c>invitee_role</c> (string): key property of <c>invite_sent</c>.</summary>
    public const string InviteeRole = "invitee_role";

    /// <summary><c>invitee_user_id</c> (string): the invited person's user id, when known.</summary>
    public const string InviteeUserId = "invitee_user_id";

    /// <summary><c>sub_feature_name</c> (string): the part of a feature involved.</summary>
    public const string SubFeatureName = "sub_feature_name";

    /// <summary><c>source_url</c> (string): the URL an action was taken from.</summary>
    public const string SourceUrl = "source_url";
}
