namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// One of the track API's standard events, with its key properties as typed, named members, so a call cannot put a
/// value in the wrong place: <c>tracker.Track(new InviteSentEvent { InviteeEmail = "ann@acme.test", InviteeRole = "admin" })</c>.
/// Members the event cannot do without are <c>required</c> (a compile error when left out). Inside a request,
/// <see cref="UserId"/> and <see cref="GroupId"/> left null come from the request, as for every event; outside one, set them.
/// </summary>
public abstract class StandardEvent
{
    private protected StandardEvent()
    {
    }

    /// <summary>The wire <c>event_name</c>: one of <see cref="StandardEvents"/>.</summary>
    public abstract string EventName { get; }

    /// <summary>The user who did it (<c>user_id</c>); null takes the current request's user or visitor.</summary>
    public string? UserId { get; init; }

    /// <summary>The account it belongs to (<c>context.group_id</c>); null takes the current request's.</summary>
    public string? GroupId { get; init; }

    /// <summary>When it happened; null is now.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>More properties, free-form (see <see cref="ThriveStackEvent.Properties"/>); the typed members win over these.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }

    /// <summary>The event as it is sent.</summary>
    /// <returns>A new <see cref="ThriveStackEvent"/>.</returns>
    public ThriveStackEvent ToEvent()
    {
        var properties = new Dictionary<string, object?>((Properties?.Count ?? 0) + 6, StringComparer.Ordinal);
        AddProperties(properties);
        if (Properties is not null)
        {
            foreach (var (name, value) in Properties)
                properties.TryAdd(name, value);
        }
        var e = new ThriveStackEvent(EventName, UserId) { Timestamp = Timestamp, Properties = properties };
        var groupId = GroupId ?? DefaultGroupId;
        if (groupId is not null)
            e.GetOrCreateContext().GroupId = groupId;
        return e;
    }

    /// <summary>The group when <see cref="GroupId"/> is not set: for account events, the account itself.</summary>
    private protected virtual string? DefaultGroupId => null;

    /// <summary>Adds the typed members' wire properties.</summary>
    private protected abstract void AddProperties(Dictionary<string, object?> properties);

    private protected static void Add(Dictionary<string, object?> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            properties[name] = value;
    }
}

/// <summary><c>signed_up</c>: a new user completed registration.</summary>
public sealed class SignedUpEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.SignedUp;

    /// <summary>The new user's e-mail address (<c>user_email</c>).</summary>
    public required string UserEmail { get; init; }

    /// <summary>The new user's name (<c>user_name</c>).</summary>
    public string? UserName { get; init; }

    /// <summary>The UTM parameters the user arrived with.</summary>
    public UtmParameters? Utm { get; init; }

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.UserEmail, UserEmail);
        Add(properties, ReservedProperties.UserName, UserName);
        Utm?.AddTo(properties);
    }
}

/// <summary><c>account_created</c>: a new workspace or organisation; its id is also the event's group unless <see cref="StandardEvent.GroupId"/> says otherwise.</summary>
public sealed class AccountCreatedEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.AccountCreated;

    /// <summary>The new account's id (<c>account_id</c>).</summary>
    public required string AccountId { get; init; }

    /// <summary>Its name (<c>account_name</c>).</summary>
    public string? AccountName { get; init; }

    /// <summary>Its domain (<c>account_domain</c>), e.g. <c>acme.test</c>.</summary>
    public string? AccountDomain { get; init; }

    private protected override string? DefaultGroupId => AccountId;

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.AccountId, AccountId);
        Add(properties, ReservedProperties.AccountName, AccountName);
        Add(properties, ReservedProperties.AccountDomain, AccountDomain);
    }
}

/// <summary><c>account_added_user</c>: a user was linked to an existing account (the event's group).</summary>
public sealed class AccountAddedUserEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.AccountAddedUser;

    /// <summary>The account the user joined; the event's group unless <see cref="StandardEvent.GroupId"/> says otherwise.</summary>
    public required string AccountId { get; init; }

    /// <summary>Its name (<c>account_name</c>).</summary>
    public string? AccountName { get; init; }

    /// <summary>The added user's e-mail address (<c>user_email</c>).</summary>
    public string? UserEmail { get; init; }

    private protected override string? DefaultGroupId => AccountId;

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.AccountName, AccountName);
        Add(properties, ReservedProperties.UserEmail, UserEmail);
    }
}

/// <summary><c>feature_used</c>: a user engaged with a product feature.</summary>
public sealed class FeatureUsedEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.FeatureUsed;

    /// <summary>The feature (<c>feature_name</c>), snake_case.</summary>
    public required string FeatureName { get; init; }

    /// <summary><c>feature_type</c>: one of <see cref="FeatureTypes"/>.</summary>
    public string? FeatureType { get; init; }

    /// <summary>The part of the feature (<c>sub_feature_name</c>).</summary>
    public string? SubFeatureName { get; init; }

    /// <summary>The user's role (<c>user_role</c>).</summary>
    public string? UserRole { get; init; }

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.FeatureName, FeatureName);
        Add(properties, ReservedProperties.FeatureType, FeatureType);
        Add(properties, ReservedProperties.SubFeatureName, SubFeatureName);
        Add(properties, ReservedProperties.UserRole, UserRole);
    }
}

/// <summary><c>profile_completed</c>: a user completed an onboarding step.</summary>
public sealed class ProfileCompletedEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.ProfileCompleted;

    /// <summary>What was completed (<c>completion_status</c>), e.g. <c>complete</c>.</summary>
    public required string CompletionStatus { get; init; }

    /// <summary>The user's role (<c>user_role</c>).</summary>
    public string? UserRole { get; init; }

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.CompletionStatus, CompletionStatus);
        Add(properties, ReservedProperties.UserRole, UserRole);
    }
}

/// <summary><c>invite_sent</c>: a user invited another person.</summary>
public sealed class InviteSentEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.InviteSent;

    /// <summary>The invited person's e-mail address (<c>invitee_email</c>).</summary>
    public required string InviteeEmail { get; init; }

    /// <summary>The role they are invited to (<c>invitee_role</c>).</summary>
    public string? InviteeRole { get; init; }

    /// <summary>The feature the invitation was sent from (<c>feature_name</c>).</summary>
    public string? FeatureName { get; init; }

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.FeatureName, FeatureName);
        Add(properties, ReservedProperties.InviteeEmail, InviteeEmail);
        Add(properties, ReservedProperties.InviteeRole, InviteeRole);
    }
}

/// <summary>
/// <c>page_visit</c>: a user visited a page. <c>UseThriveStackTracking()</c> sends these for every page by itself; use
/// this for pages it cannot see (client-side routes, for example).
/// </summary>
public sealed class PageVisitEvent : StandardEvent
{
    /// <inheritdoc />
    public override string EventName => StandardEvents.PageVisit;

    /// <summary>The full URL (<c>page_url</c>).</summary>
    public required string PageUrl { get; init; }

    /// <summary>The path (<c>page_path</c>).</summary>
    public string? PagePath { get; init; }

    /// <summary>The referrer (<c>page_referrer</c>).</summary>
    public string? PageReferrer { get; init; }

    /// <summary>The title (<c>page_title</c>).</summary>
    public string? PageTitle { get; init; }

    /// <summary>The visit's UTM parameters.</summary>
    public UtmParameters? Utm { get; init; }

    private protected override void AddProperties(Dictionary<string, object?> properties)
    {
        Add(properties, ReservedProperties.PageTitle, PageTitle);
        Add(properties, ReservedProperties.PageUrl, PageUrl);
        Add(properties, ReservedProperties.PagePath, PagePath);
        Add(properties, ReservedProperties.PageReferrer, PageReferrer);
        Utm?.AddTo(properties);
    }
}
