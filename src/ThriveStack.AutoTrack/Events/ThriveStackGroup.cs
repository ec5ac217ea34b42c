namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// A user's membership of a group (an account, organization, workspace or team) and the group's traits, for
/// ThriveStack's group API (<c>POST /api/group</c>):
/// <c>tracker.Group(new ThriveStackGroup { GroupId = account.Id, GroupType = "Account", Name = account.Name })</c>.
/// AutoTrack also sends one automatically when a signed-in user's account is first seen in a session
/// (<see cref="Identity.AutoIdentifyOptions"/>).
/// </summary>
/// <remarks>
/// The typed members are the traits the API knows, under their wire names; <see cref="Traits"/> holds any other.
/// A typed member that is set wins over a <see cref="Traits"/> entry of the same wire name.
/// </remarks>
public sealed class ThriveStackGroup
{
    /// <summary>The group (wire <c>group_id</c>, required; the same id as <c>context.group_id</c> on events). Inside a request, when left null, the request's account.</summary>
    public string? GroupId { get; set; }

    /// <summary>A user in the group (wire <c>user_id</c>, required). Inside a request, when left null, the signed-in user.</summary>
    public string? UserId { get; set; }

    /// <summary>What kind of group this is (wire <c>traits.group_type</c>, required by the API), e.g. <c>Account</c> or <c>Team</c>.</summary>
    public required string GroupType { get; set; }

    /// <summary>When the traits were true; the time of the call when null.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The group's name (wire <c>name</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The group's web domain (wire <c>domain</c>), e.g. <c>acme.com</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>The group's plan (wire <c>planName</c>, as the API spells it).</summary>
    public string? PlanName { get; set; }

    /// <summary>Wire <c>enrichment_industry</c>.</summary>
    public string? Industry { get; set; }

    /// <summary>How many people work there (wire <c>enrichment_employees</c>).</summary>
    public int? Employees { get; set; }

    /// <summary>Wire <c>enrichment_country</c>.</summary>
    public string? Country { get; set; }

    /// <summary>Wire <c>enrichment_country_code</c>, e.g. <c>DE</c>.</summary>
    public string? CountryCode { get; set; }

    /// <summary>Other traits, by wire name; values as for <see cref="ThriveStackEvent.Properties"/>.</summary>
    public Dictionary<string, object?> Traits { get; } = new(StringComparer.Ordinal);

    /// <summary>The traits as sent: the entries of <see cref="Traits"/> that are not null, then the typed members that are set.</summary>
    internal Dictionary<string, object?> WireTraits()
    {
        var traits = ThriveStackUser.CopyWithoutNulls(Traits);
        ThriveStackUser.Set(traits, "group_type", GroupType);
        ThriveStackUser.Set(traits, "name", Name);
        ThriveStackUser.Set(traits, "domain", Domain);
        ThriveStackUser.Set(traits, "planName", PlanName);
        ThriveStackUser.Set(traits, "enrichment_industry", Industry);
        ThriveStackUser.Set(traits, "enrichment_employees", Employees);
        ThriveStackUser.Set(traits, "enrichment_country", Country);
        ThriveStackUser.Set(traits, "enrichment_country_code", CountryCode);
        return traits;
    }
}
