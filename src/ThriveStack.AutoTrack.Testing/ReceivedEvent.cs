using System.Text.Json;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>One track object as the collector received it, with its raw JSON.</summary>
public sealed class ReceivedEvent : ReceivedRecord
{
    internal ReceivedEvent(JsonElement json, int batchNumber, DateTimeOffset receivedAt)
        : base(json, batchNumber, receivedAt)
    {
        EventName = json.GetProperty("event_name").GetString()!;
        UserId = json.GetProperty("user_id").GetString()!;
        Timestamp = json.TryGetProperty("timestamp", out var ts) ? ts.GetString() : null;
        if (json.TryGetProperty("context", out var context))
        {
            GroupId = StringOf(context, "group_id");
            DeviceId = StringOf(context, "device_id");
            SessionId = StringOf(context, "session_id");
            Source = StringOf(context, "source");
        }
    }

    /// <summary><c>event_name</c>.</summary>
    public string EventName { get; }

    /// <summary><c>user_id</c>.</summary>
    public string UserId { get; }

    /// <summary><c>timestamp</c> as sent, or null.</summary>
    public string? Timestamp { get; }

    /// <summary><c>context.group_id</c>, or null.</summary>
    public string? GroupId { get; }

    /// <summary><c>context.device_id</c>, or null.</summary>
    public string? DeviceId { get; }

    /// <summary><c>context.session_id</c>, or null.</summary>
    public string? SessionId { get; }

    /// <summary><c>context.source</c>, or null.</summary>
    public string? Source { get; }

    /// <summary>The <c>properties</c> object, or an empty object when none was sent.</summary>
    public JsonElement Properties => ObjectOrEmpty("properties");

    /// <summary>A string property, or null when absent or not a string.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The value, or null.</returns>
    public string? Property(string name) => StringOf(Properties, name);
}
