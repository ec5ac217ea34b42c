using System.Text.Json;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>One identify or group record as the collector received it, with its raw JSON.</summary>
public sealed class ReceivedTraits : ReceivedRecord
{
    internal ReceivedTraits(JsonElement json, int batchNumber, DateTimeOffset receivedAt)
        : base(json, batchNumber, receivedAt)
    {
        UserId = json.GetProperty("user_id").GetString()!;
        Timestamp = json.TryGetProperty("timestamp", out var ts) ? ts.GetString() : null;
        GroupId = json.TryGetProperty("group_id", out var group) ? group.GetString()
            : json.TryGetProperty("context", out var context) && context.TryGetProperty("group_id", out var contextGroup) ? contextGroup.GetString()
            : null;
    }

    /// <summary><c>user_id</c>.</summary>
    public string UserId { get; }

    /// <summary>The group: <c>group_id</c> of a group record, <c>context.group_id</c> of an identify record; or null.</summary>
    public string? GroupId { get; }

    /// <summary><c>timestamp</c> as sent.</summary>
    public string? Timestamp { get; }

    /// <summary>The <c>traits</c> object, or an empty object when none was sent.</summary>
    public JsonElement Traits => ObjectOrEmpty("traits");

    /// <summary>A string trait, or null when absent or not a string.</summary>
    /// <param name="name">The trait's wire name, e.g. <c>email</c> or <c>group_type</c>.</param>
    /// <returns>The value, or null.</returns>
    public string? Trait(string name) => StringOf(Traits, name);
}
