namespace ThriveStack.AutoTrack.Events;

/// <summary>Checks an event against the contract's required fields and <see cref="EventLimits"/> before it is queued.</summary>
internal static class EventValidator
{
    /// <summary>Returns null when the event may be queued, else a short reason (never a property value).</summary>
    public static string? Validate(ThriveStackEvent e)
    {
        if (string.IsNullOrWhiteSpace(e.EventName))
            return "event_name is missing";
        if (e.EventName.Length > EventLimits.MaxEventNameLength)
            return "event_name is longer than 128 characters";
        if (string.IsNullOrWhiteSpace(e.UserId))
            return "user_id is missing";
        if (e.UserId.Length > EventLimits.MaxIdLength)
            return "user_id is longer than 256 characters";

        if (e.DeferredContext is { } request
                ? TooLong(request.GroupId) || TooLong(request.DeviceId) || TooLong(request.SessionId) || TooLong(request.Source)
                : e.ContextAsSet is { } context && (TooLong(context.GroupId) || TooLong(context.DeviceId) || TooLong(context.SessionId) || TooLong(context.Source)))
        {
            return "a context field is longer than 256 characters";
        }

        if (e.Deferred is { } deferred)
            return deferred.Validate(); // AutoTrack's own page and user-agent fields, no bag (ThriveStackEvent.Deferred)
        if (e.PropertiesAsSet is not { Count: > 0 } properties)
            return null;
        // Where the contract says the value is an e-mail address, a value that cannot be one (an id in the wrong
        // place, most often) is refused rather than stored as a wrong fact. That is checked in the same pass as the
        // values, not with two more lookups, unless the bag was made with its own comparer (then the lookups say what
        // the bag means by the names).
        if (properties.Count > EventLimits.MaxPropertyCount || !ReferenceEquals(properties.Comparer, EqualityComparer<string>.Default))
        {
            if (NotAnEmail(properties, ReservedProperties.UserEmail) || NotAnEmail(properties, ReservedProperties.InviteeEmail))
                return NotAnEmailProblem;
            return PropertyValues.Validate(properties);
        }

        string? problem = null;
        var notAnEmail = false;
        foreach (var (name, value) in properties)
        {
            problem ??= PropertyValues.ValidateEntry(name, value, 1);
            notAnEmail |= IsEmailName(name) && value is not null && (value is not string text || !LooksLikeEmail(text));
        }
        return notAnEmail ? NotAnEmailProblem : problem;
    }

    private const string NotAnEmailProblem = "an e-mail property (user_email, invitee_email) is not an e-mail address";

    private static bool IsEmailName(string name) => name.Length switch
    {
        10 => name == ReservedProperties.UserEmail,
        13 => name == ReservedProperties.InviteeEmail,
        _ => false,
    };

    private static bool NotAnEmail(Dictionary<string, object?> properties, string name)
        => properties.TryGetValue(name, out var value) && value is not null &&
           (value is not string text || !LooksLikeEmail(text));

    /// <summary>One <c>@</c> with something on each side, a dot in the domain, no spaces: what the type can tell, not RFC 5322.</summary>
    internal static bool LooksLikeEmail(string text)
    {
        var at = text.IndexOf('@');
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && text.Length <= 254 &&
               text.AsSpan(at + 1).Contains('.') && !text.AsSpan().ContainsAny(" \t\r\n");
    }

    /// <summary>The API defaults <c>currency</c> to USD; AutoTrack makes that explicit so the data says what it means.</summary>
    public static void ApplyDefaults(ThriveStackEvent e)
    {
        if (e.PropertiesAsSet is { } properties &&
            properties.TryGetValue(ReservedProperties.Revenue, out var revenue) && revenue is not null &&
            (!properties.TryGetValue(ReservedProperties.Currency, out var currency) || currency is null or ""))
        {
            properties[ReservedProperties.Currency] = "USD";
        }
    }

    private static bool TooLong(string? value) => value is not null && value.Length > EventLimits.MaxIdLength;
}
