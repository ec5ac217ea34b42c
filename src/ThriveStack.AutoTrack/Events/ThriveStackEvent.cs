using System.Text.Json.Serialization;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// One track object of the ThriveStack track API: what happened (<see cref="EventName"/>), who did it
/// (<see cref="UserId"/>), free-form <see cref="Properties"/>, the <see cref="Context"/> that ties it to an
/// account, device and session, and when it happened (<see cref="Timestamp"/>).
/// </summary>
/// <remarks>
/// Hand an event to <see cref="Tracking.IThriveStackTracker.Track(ThriveStackEvent)"/> once and do not change
/// it afterwards: it is serialized later, on the background dispatcher.
/// </remarks>
public sealed partial class ThriveStackEvent : Dispatch.IOutboundRecord
{
    /// <summary>Creates an event with the given name.</summary>
    /// <param name="eventName">Object + past-tense verb in snake_case, e.g. <c>report_exported</c>.</param>
    /// <param name="userId">The user who performed the action; when left null inside a request, the tracker fills it in.</param>
    public ThriveStackEvent(string eventName, string? userId = null)
    {
        EventName = eventName;
        UserId = userId;
    }

    /// <summary>Name of the action that occurred (required). Wire name <c>event_name</c>.</summary>
    [JsonPropertyName("event_name")]
    [JsonPropertyOrder(0)]
    public string EventName { get; set; }

    /// <summary>
    /// Free-form properties. Values may be null, strings, booleans, numbers (integers, <see cref="decimal"/>,
    /// finite <see cref="double"/>), <see cref="Guid"/>, <see cref="DateTime"/>/<see cref="DateTimeOffset"/>
    /// (written as ISO 8601 UTC), <see cref="Uri"/>, enums (written by name), <c>System.Text.Json</c> elements and
    /// nodes, nested dictionaries with string keys, and sequences of these. Wire name <c>properties</c>;
    /// left out when null or empty.
    /// </summary>
    [JsonIgnore]
    public Dictionary<string, object?>? Properties
    {
        get => Deferred is { } deferred ? Materialize(deferred) : _properties;
        set
        {
            Deferred = null;
            _properties = value;
        }
    }


    /// <summary>The user who performed the action (required by the API). Wire name <c>user_id</c>.</summary>
    [JsonPropertyName("user_id")]
    [JsonPropertyOrder(2)]
    public string? UserId { get; set; }

    /// <summary>
    /// When the event happened. When null, the tracker stamps the time it accepted the event, so batching
    /// never shifts an event's time. Sent as ISO 8601 in UTC with a <c>Z</c> suffix.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Account, device, session and source of the event. Left out when null or empty.</summary>
    [JsonIgnore]
    public EventContext? Context
    {
        get => DeferredContext is { } request ? MaterializeContext(request) : _context;
        set
        {
            DeferredContext = null;
            _context = value;
        }
    }



    /// <summary>Sets one property, creating <see cref="Properties"/> when needed.</summary>
    /// <param name="name">The property name (snake_case by convention).</param>
    /// <param name="value">The value; see <see cref="Properties"/> for the supported types.</param>
    /// <returns>This event, for chaining.</returns>
    public ThriveStackEvent WithProperty(string name, object? value)
    {
        (Properties ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;
        return this;
    }

    /// <summary>Returns <see cref="Context"/>, creating it when needed.</summary>
    /// <returns>The event's context.</returns>
    public EventContext GetOrCreateContext() => Context ??= new EventContext();

    [JsonInclude]
    [JsonPropertyName("properties")]
    [JsonPropertyOrder(1)]
    [JsonConverter(typeof(EventPropertiesConverter))]
    internal Dictionary<string, object?>? WireProperties => Properties is { Count: > 0 } ? Properties : null;

    [JsonInclude]
    [JsonPropertyName("timestamp")]
    [JsonPropertyOrder(3)]
    internal DateTime? WireTimestamp => Timestamp is { } t ? TruncateToMilliseconds(t.UtcDateTime) : null;

    [JsonInclude]
    [JsonPropertyName("context")]
    [JsonPropertyOrder(4)]
    internal EventContext? WireContext => Context is { IsEmpty: false } ? Context : null;

    // Millisecond precision, as JavaScript's toISOString writes it: 7 fractional digits trip some ISO 8601 parsers.
    internal static DateTime TruncateToMilliseconds(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>When the event was accepted (<see cref="Dispatch.AcceptClock.Now"/>); drives the flush deadline.</summary>
    internal long AcceptedAt { get; set; }

    string Dispatch.IOutboundRecord.RecordName => EventName;

    long Dispatch.IOutboundRecord.AcceptedAt => AcceptedAt;

    void Dispatch.IOutboundRecord.WriteJson(System.Text.Json.Utf8JsonWriter writer) => EventWriter.Write(writer, this);

    /// <summary>Standard events: factories that set the key properties the API documents.</summary>
    /// <param name="userId">The new user's id.</param>
    /// <param name="userEmail">Wire name <c>user_email</c>.</param>
    /// <param name="userName">Wire name <c>user_name</c>.</param>
    /// <param name="utm">UTM parameters the user arrived with.</param>
    /// <returns>A <c>signed_up</c> event.</returns>
    internal static ThriveStackEvent SignedUp(string? userId, string? userEmail = null, string? userName = null, UtmParameters? utm = null)
    {
        var e = new ThriveStackEvent(StandardEvents.SignedUp, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.UserEmail, userEmail);
        AddIfSet(p, ReservedProperties.UserName, userName);
        utm?.AddTo(p);
        return e;
    }

    /// <summary>An <c>account_created</c> event; <c>context.group_id</c> is set to <paramref name="accountId"/>.</summary>
    /// <param name="userId">The user who created the account.</param>
    /// <param name="accountId">Wire name <c>account_id</c>; also the event's group.</param>
    /// <param name="accountName">Wire name <c>account_name</c>.</param>
    /// <param name="accountDomain">Wire name <c>account_domain</c>.</param>
    /// <returns>An <c>account_created</c> event.</returns>
    internal static ThriveStackEvent AccountCreated(string? userId, string accountId, string? accountName = null, string? accountDomain = null)
    {
        var e = new ThriveStackEvent(StandardEvents.AccountCreated, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.AccountDomain, accountDomain);
        AddIfSet(p, ReservedProperties.AccountId, accountId);
        AddIfSet(p, ReservedProperties.AccountName, accountName);
        e.GetOrCreateContext().GroupId = accountId;
        return e;
    }

    /// <summary>An <c>account_added_user</c> event; <c>context.group_id</c> is set to <paramref name="accountId"/>.</summary>
    /// <param name="userId">The user who was linked to the account.</param>
    /// <param name="accountId">The account; the event's group.</param>
    /// <param name="accountName">Wire name <c>account_name</c>.</param>
    /// <param name="userEmail">Wire name <c>user_email</c>.</param>
    /// <returns>An <c>account_added_user</c> event.</returns>
    internal static ThriveStackEvent AccountAddedUser(string? userId, string? accountId, string? accountName = null, string? userEmail = null)
    {
        var e = new ThriveStackEvent(StandardEvents.AccountAddedUser, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.AccountName, accountName);
        AddIfSet(p, ReservedProperties.UserEmail, userEmail);
        if (accountId is not null)
            e.GetOrCreateContext().GroupId = accountId;
        return e;
    }

    /// <summary>A <c>feature_used</c> event.</summary>
    /// <param name="userId">The user who used the feature.</param>
    /// <param name="featureName">Wire name <c>feature_name</c>.</param>
    /// <param name="featureType">Wire name <c>feature_type</c>: see <see cref="FeatureTypes"/>.</param>
    /// <param name="userRole">Wire name <c>user_role</c>.</param>
    /// <param name="groupId">The account the user acted in (<c>context.group_id</c>).</param>
    /// <returns>A <c>feature_used</c> event.</returns>
    internal static ThriveStackEvent FeatureUsed(string? userId, string featureName, string? featureType = null, string? userRole = null, string? groupId = null)
    {
        var e = new ThriveStackEvent(StandardEvents.FeatureUsed, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.FeatureName, featureName);
        AddIfSet(p, ReservedProperties.FeatureType, featureType);
        AddIfSet(p, ReservedProperties.UserRole, userRole);
        if (groupId is not null)
            e.GetOrCreateContext().GroupId = groupId;
        return e;
    }

    /// <summary>A <c>profile_completed</c> event.</summary>
    /// <param name="userId">The user who completed the step.</param>
    /// <param name="completionStatus">Wire name <c>completion_status</c>.</param>
    /// <param name="userRole">Wire name <c>user_role</c>.</param>
    /// <returns>A <c>profile_completed</c> event.</returns>
    internal static ThriveStackEvent ProfileCompleted(string? userId, string? completionStatus = null, string? userRole = null)
    {
        var e = new ThriveStackEvent(StandardEvents.ProfileCompleted, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.CompletionStatus, completionStatus);
        AddIfSet(p, ReservedProperties.UserRole, userRole);
        return e;
    }

    /// <summary>An <c>invite_sent</c> event.</summary>
    /// <param name="userId">The user who sent the invitation.</param>
    /// <param name="inviteeEmail">Wire name <c>invitee_email</c>.</param>
    /// <param name="inviteeRole">Wire name <c>invitee_role</c>.</param>
    /// <param name="featureName">Wire name <c>feature_name</c>: the feature the invitation was sent from.</param>
    /// <param name="groupId">The account the invitation is for (<c>context.group_id</c>).</param>
    /// <returns>An <c>invite_sent</c> event.</returns>
    internal static ThriveStackEvent InviteSent(string? userId, string? inviteeEmail, string? inviteeRole = null, string? featureName = null, string? groupId = null)
    {
        var e = new ThriveStackEvent(StandardEvents.InviteSent, userId);
        var p = e.Properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddIfSet(p, ReservedProperties.FeatureName, featureName);
        AddIfSet(p, ReservedProperties.InviteeEmail, inviteeEmail);
        AddIfSet(p, ReservedProperties.InviteeRole, inviteeRole);
        if (groupId is not null)
            e.GetOrCreateContext().GroupId = groupId;
        return e;
    }

    /// <summary>
    /// A <c>page_visit</c> event, its page fields held in <see cref="Deferred"/> (the enricher adds the user agent's there
    /// too): no dictionary is made unless someone reads <see cref="Properties"/>.
    /// </summary>
    /// <param name="userId">The visitor.</param>
    /// <param name="pageUrl">Wire name <c>page_url</c>: the full URL.</param>
    /// <param name="pagePath">Wire name <c>page_path</c>.</param>
    /// <param name="pageReferrer">Wire name <c>page_referrer</c>.</param>
    /// <param name="pageTitle">Wire name <c>page_title</c>.</param>
    /// <param name="utm">UTM parameters of the visit.</param>
    /// <returns>A <c>page_visit</c> event.</returns>
    internal static ThriveStackEvent PageVisit(string? userId, string pageUrl, string? pagePath = null, string? pageReferrer = null, string? pageTitle = null, UtmParameters? utm = null)
        => new ThriveStackEvent(StandardEvents.PageVisit, userId)
        {
            Deferred = new DeferredProperties
            {
                PageTitle = pageTitle,
                PageUrl = pageUrl,
                PagePath = pagePath,
                PageReferrer = pageReferrer,
                Utm = utm,
            },
        };

    /// <summary>
    /// A <c>page_visit</c> event whose URL fields are worked out from <paramref name="page"/> when the event is first
    /// read or written (<see cref="DeferredProperties.SetPage"/>), not on the request path.
    /// </summary>
    /// <param name="userId">The visitor.</param>
    /// <param name="page">The request's parts.</param>
    /// <param name="pageTitle">Wire name <c>page_title</c>.</param>
    /// <returns>A <c>page_visit</c> event.</returns>
    internal static ThriveStackEvent PageVisit(string? userId, in PageVisits.PageSource page, string? pageTitle)
    {
        var deferred = new DeferredProperties { PageTitle = pageTitle };
        deferred.SetPage(page);
        return new ThriveStackEvent(StandardEvents.PageVisit, userId) { Deferred = deferred };
    }

    private static void AddIfSet(Dictionary<string, object?> properties, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            properties[name] = value;
    }
}
