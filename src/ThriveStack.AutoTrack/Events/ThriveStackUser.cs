namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// A user and what is known about them, for ThriveStack's identify API (<c>POST /api/identify</c>):
/// <c>tracker.Identify(new ThriveStackUser { UserId = user.Id, Email = user.Email, FullName = user.Name })</c>.
/// Send it when a user signs up, joins an account or changes their details; AutoTrack also sends one automatically
/// when a signed-in user is first seen in a session (<see cref="Identity.AutoIdentifyOptions"/>).
/// </summary>
/// <remarks>
/// The typed members are the traits the API knows, under their wire names; <see cref="Traits"/> holds any other.
/// A typed member that is set wins over a <see cref="Traits"/> entry of the same wire name. Hand the object to the
/// tracker once and do not change it afterwards.
/// </remarks>
public sealed class ThriveStackUser
{
    /// <summary>The user (wire <c>user_id</c>, required). Inside a request, when left null, the signed-in user.</summary>
    public string? UserId { get; set; }

    /// <summary>The user's account (wire <c>context.group_id</c>). Inside a request, when left null and the user is the signed-in one, the request's account.</summary>
    public string? GroupId { get; set; }

    /// <summary>When the traits were true; the time of the call when null.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The user's e-mail address (wire <c>email</c>). A value that is not an e-mail address drops the record, logged by name.</summary>
    public string? Email { get; set; }

    /// <summary>Wire <c>enrichment_first_name</c>.</summary>
    public string? FirstName { get; set; }

    /// <summary>Wire <c>enrichment_last_name</c>.</summary>
    public string? LastName { get; set; }

    /// <summary>Wire <c>enrichment_full_name</c>.</summary>
    public string? FullName { get; set; }

    /// <summary>A picture of the user (wire <c>enrichment_avatar</c>).</summary>
    public Uri? AvatarUrl { get; set; }

    /// <summary>Phone numbers (wire <c>enrichment_phone</c>, an array).</summary>
    public IList<string>? PhoneNumbers { get; set; }

    /// <summary>Wire <c>enrichment_city</c>.</summary>
    public string? City { get; set; }

    /// <summary>Wire <c>enrichment_state</c>.</summary>
    public string? State { get; set; }

    /// <summary>Wire <c>enrichment_country</c>.</summary>
    public string? Country { get; set; }

    /// <summary>Wire <c>enrichment_country_code</c>, e.g. <c>DE</c>.</summary>
    public string? CountryCode { get; set; }

    /// <summary>An IANA time zone such as <c>Europe/Berlin</c> (wire <c>enrichment_time_zone</c>).</summary>
    public string? TimeZone { get; set; }

    /// <summary>The company the user works for (wire <c>enrichment_employment_name</c>).</summary>
    public string? CompanyName { get; set; }

    /// <summary>The domain of the company the user works for (wire <c>enrichment_employment_domain</c>).</summary>
    public string? CompanyDomain { get; set; }

    /// <summary>Wire <c>enrichment_employment_title</c>, e.g. <c>CTO</c>.</summary>
    public string? JobTitle { get; set; }

    /// <summary>Wire <c>enrichment_employment_role</c>, e.g. <c>engineering</c>.</summary>
    public string? JobRole { get; set; }

    /// <summary>Wire <c>enrichment_employment_seniority</c>.</summary>
    public string? Seniority { get; set; }

    /// <summary>Other traits, by wire name (snake_case by convention); values as for <see cref="ThriveStackEvent.Properties"/>.</summary>
    public Dictionary<string, object?> Traits { get; } = new(StringComparer.Ordinal);

    /// <summary>The traits as sent: the entries of <see cref="Traits"/> that are not null, then the typed members that are set.</summary>
    internal Dictionary<string, object?> WireTraits()
    {
        var traits = CopyWithoutNulls(Traits);
        Set(traits, "email", Email);
        Set(traits, "enrichment_first_name", FirstName);
        Set(traits, "enrichment_last_name", LastName);
        Set(traits, "enrichment_full_name", FullName);
        Set(traits, "enrichment_avatar", AvatarUrl);
        if (PhoneNumbers is { Count: > 0 } phones)
            traits["enrichment_phone"] = phones.ToArray();
        Set(traits, "enrichment_city", City);
        Set(traits, "enrichment_state", State);
        Set(traits, "enrichment_country", Country);
        Set(traits, "enrichment_country_code", CountryCode);
        Set(traits, "enrichment_time_zone", TimeZone);
        Set(traits, "enrichment_employment_name", CompanyName);
        Set(traits, "enrichment_employment_domain", CompanyDomain);
        Set(traits, "enrichment_employment_title", JobTitle);
        Set(traits, "enrichment_employment_role", JobRole);
        Set(traits, "enrichment_employment_seniority", Seniority);
        return traits;
    }

    /// <summary>A copy of the caller's traits for the wire, with room for the typed ones: null entries left out (the API takes no null traits).</summary>
    internal static Dictionary<string, object?> CopyWithoutNulls(Dictionary<string, object?> custom)
    {
        var traits = new Dictionary<string, object?>(custom.Count + 8, StringComparer.Ordinal);
        foreach (var (name, value) in custom)
        {
            if (value is not null)
                traits[name] = value;
        }
        return traits;
    }

    internal static void Set(Dictionary<string, object?> traits, string name, object? value)
    {
        if (value is not null)
            traits[name] = value;
    }
}
