using System.Text.Json;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// One identify or group record as queued: the ids resolved, the traits merged into their wire names and checked. It is
/// built from a <see cref="ThriveStackUser"/> or <see cref="ThriveStackGroup"/> when the tracker accepts it, so the caller's
/// object is not read again on the background loops.
/// </summary>
internal sealed class TraitsRecord : IOutboundRecord
{
    private static readonly JsonEncodedText UserIdName = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText GroupIdName = JsonEncodedText.Encode("group_id");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText TraitsName = JsonEncodedText.Encode("traits");
    private static readonly JsonEncodedText ContextName = JsonEncodedText.Encode("context");

    private TraitsRecord(RecordKind kind, string? userId, string? groupId, DateTimeOffset timestamp, Dictionary<string, object?> traits)
    {
        Kind = kind;
        UserId = userId;
        GroupId = groupId;
        Timestamp = timestamp;
        Traits = traits;
    }

    public RecordKind Kind { get; }

    public string? UserId { get; }

    public string? GroupId { get; }

    public DateTimeOffset Timestamp { get; }

    public Dictionary<string, object?> Traits { get; }

    public string RecordName => Kind.Name();

    public long AcceptedAt { get; set; }

    public static TraitsRecord Of(ThriveStackUser user, string? userId, string? groupId, DateTimeOffset now)
        => new(RecordKind.Identify, userId, groupId, user.Timestamp ?? now, user.WireTraits());

    public static TraitsRecord Of(ThriveStackGroup group, string? userId, string? groupId, DateTimeOffset now)
        => new(RecordKind.Group, userId, groupId, group.Timestamp ?? now, group.WireTraits());

    /// <summary>Null when the record may be queued, else a short reason that names a field, never a value.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(UserId))
            return "user_id is missing";
        if (UserId.Length > EventLimits.MaxIdLength)
            return "user_id is longer than 256 characters";
        if (Kind == RecordKind.Group && string.IsNullOrWhiteSpace(GroupId))
            return "group_id is missing";
        if (GroupId is { Length: > EventLimits.MaxIdLength })
            return "group_id is longer than 256 characters";
        if (Kind == RecordKind.Group && (!Traits.TryGetValue("group_type", out var type) || type is not string { Length: > 0 } text || string.IsNullOrWhiteSpace(text)))
            return "group_type is missing";
        if (Kind == RecordKind.Identify && Traits.TryGetValue("email", out var email) && email is not null &&
            (email is not string address || !EventValidator.LooksLikeEmail(address)))
        {
            return "the email trait is not an e-mail address";
        }
        return PropertyValues.Validate(Traits);
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Kind == RecordKind.Group)
        {
            writer.WriteString(GroupIdName, GroupId);
            writer.WriteString(UserIdName, UserId);
        }
        else
        {
            writer.WriteString(UserIdName, UserId);
        }
        writer.WriteString(TimestampName, ThriveStackEvent.TruncateToMilliseconds(Timestamp.UtcDateTime));
        if (Traits.Count > 0)
        {
            writer.WritePropertyName(TraitsName);
            PropertyValues.Write(writer, Traits);
        }
        if (Kind == RecordKind.Identify && GroupId is not null)
        {
            writer.WriteStartObject(ContextName);
            writer.WriteString(GroupIdName, GroupId);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }
}
