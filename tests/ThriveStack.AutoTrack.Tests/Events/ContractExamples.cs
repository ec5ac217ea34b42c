namespace ThriveStack.AutoTrack.Tests.Events;

/// <summary>The request bodies of the track API documentation's examples, verbatim (../shared/thrivestack-track-api.md).</summary>
internal static class ContractExamples
{
    public const string UserId = "18f716ac-37a4-464f-adb7-3cc30032308c";
    public const string GroupId = "ac8db7ba-5139-4911-ba6e-523fd9c4704b";
    public static readonly DateTimeOffset Timestamp = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public const string SignedUp = """
        [
        {
        "event_name": "signed_up",
        "properties": {
        "user_email": "john.doe@acme.com",
        "user_name": "John Doe",
        "utm_campaign": "customer_success",
        "utm_medium": "referral",
        "utm_source": "twitter",
        "utm_term": "free_trial"
        },
        "user_id": "18f716ac-37a4-464f-adb7-3cc30032308c",
        "timestamp": "2024-01-15T10:30:00Z"
        }
        ]
        """;

    public const string AccountCreated = """
        [
        {
        "event_name": "account_created",
        "properties": {
        "account_domain": "acme.com",
        "account_id": "ac8db7ba-5139-4911-ba6e-523fd9c4704b",
        "account_name": "Acme Corporation"
        },
        "user_id": "18f716ac-37a4-464f-adb7-3cc30032308c",
        "timestamp": "2024-01-15T10:30:00Z",
        "context": {
        "group_id": "ac8db7ba-5139-4911-ba6e-523fd9c4704b"
        }
        }
        ]
        """;

    public const string FeatureUsed = """
        [
        {
        "event_name": "feature_used",
        "properties": {
        "feature_name": "export_report",
        "feature_type": "core",
        "user_role": "admin"
        },
        "user_id": "18f716ac-37a4-464f-adb7-3cc30032308c",
        "timestamp": "2024-01-15T10:30:00Z",
        "context": {
        "group_id": "ac8db7ba-5139-4911-ba6e-523fd9c4704b"
        }
        }
        ]
        """;

    public const string InviteSent = """
        [
        {
        "event_name": "invite_sent",
        "properties": {
        "feature_name": "report",
        "invitee_email": "jane.doe@acme.com",
        "invitee_role": "Admin",
        "invitee_user_id": "ed1adb3a-9772-48ef-b620-e5e6d438fb82",
        "sub_feature_name": "export_report",
        "source_url": "https://acme.com/dashboard"
        },
        "user_id": "18f716ac-37a4-464f-adb7-3cc30032308c",
        "timestamp": "2024-01-15T10:30:00Z",
        "context": {
        "group_id": "ac8db7ba-5139-4911-ba6e-523fd9c4704b"
        }
        }
        ]
        """;

    public const string PageVisit = """
        [
        {
        "event_name": "page_visit",
        "properties": {
        "page_title": "what is acme",
        "page_url": "https://acme.com/what_is_acme",
        "page_path": "/what_is_acme",
        "page_referrer": "https://google.com",
        "utm_campaign": "summer_promotion",
        "utm_medium": "email",
        "utm_source": "newsletter"
        },
        "user_id": "18f716ac-37a4-464f-adb7-3cc30032308c",
        "timestamp": "2024-01-15T10:30:00Z",
        "context": {
        "group_id": "ac8db7ba-5139-4911-ba6e-523fd9c4704b",
        "device_id": "7d08298f",
        "session_id": "session_e2iukz3vduo",
        "source": "product"
        }
        }
        ]
        """;
}
