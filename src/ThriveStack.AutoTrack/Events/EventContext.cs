using System.Text.Json.Serialization;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The <c>context</c> object of a track event: which account, device and session an event belongs to,
/// and whether it came from the product or the marketing site. Every field is optional; an empty
/// context is left out of the JSON entirely.
/// </summary>
public sealed class EventContext
{
    /// <summary>The account (workspace, organisation) the event belongs to. Wire name <c>group_id</c>.</summary>
    [JsonPropertyName("group_id")]
    public string? GroupId { get; set; }

    /// <summary>A stable identifier of the visitor's device. Wire name <c>device_id</c>.</summary>
    [JsonPropertyName("device_id")]
    public string? DeviceId { get; set; }

    /// <summary>The current session's identifier. Wire name <c>session_id</c>.</summary>
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }

    /// <summary>
    /// <see cref="EventSources.Product"/> for in-app events, <see cref="EventSources.Marketing"/> for
    /// public-facing website events. Wire name <c>source</c>.
    /// </summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>True when no field is set; such a context is not sent.</summary>
    [JsonIgnore]
    public bool IsEmpty => GroupId is null && DeviceId is null && SessionId is null && Source is null;
}
