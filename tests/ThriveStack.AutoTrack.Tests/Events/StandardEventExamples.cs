using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Tests.Events;

/// <summary>Each documented example, built through the public factories, paired with its documented JSON.</summary>
internal static class StandardEventExamples
{
    public static TheoryData<string> Names => ["signed_up", "account_created", "feature_used", "invite_sent", "page_visit"];

    public static (ThriveStackEvent Event, string Json) Get(string name)
    {
        var (e, json) = name switch
        {
            "signed_up" => (ThriveStackEvent.SignedUp(ContractExamples.UserId, "john.doe@acme.com", "John Doe",
                new UtmParameters(Source: "twitter", Medium: "referral", Campaign: "customer_success", Term: "free_trial")), ContractExamples.SignedUp),
            "account_created" => (ThriveStackEvent.AccountCreated(ContractExamples.UserId, ContractExamples.GroupId, "Acme Corporation", "acme.com"), ContractExamples.AccountCreated),
            "feature_used" => (ThriveStackEvent.FeatureUsed(ContractExamples.UserId, "export_report", FeatureTypes.Core, "admin", ContractExamples.GroupId), ContractExamples.FeatureUsed),
            "invite_sent" => (ThriveStackEvent.InviteSent(ContractExamples.UserId, "jane.doe@acme.com", "Admin", "report", ContractExamples.GroupId)
                .WithProperty("invitee_user_id", "ed1adb3a-9772-48ef-b620-e5e6d438fb82")
                .WithProperty(ReservedProperties.SubFeatureName, "export_report")
                .WithProperty(ReservedProperties.SourceUrl, "https://acme.com/dashboard"), ContractExamples.InviteSent),
            "page_visit" => (PageVisit(), ContractExamples.PageVisit),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        e.Timestamp = ContractExamples.Timestamp;
        return (e, json);
    }

    private static ThriveStackEvent PageVisit()
    {
        var e = ThriveStackEvent.PageVisit(ContractExamples.UserId, "https://acme.com/what_is_acme", "/what_is_acme", "https://google.com", "what is acme",
            new UtmParameters(Source: "newsletter", Medium: "email", Campaign: "summer_promotion"));
        e.Context = new EventContext { GroupId = ContractExamples.GroupId, DeviceId = "7d08298f", SessionId = "session_e2iukz3vduo", Source = EventSources.Product };
        return e;
    }
}
