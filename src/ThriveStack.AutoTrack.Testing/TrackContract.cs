using System.Text.Json;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>
/// The ThriveStack track API contract as checks on JSON: what the collector enforces, usable on its own to check any
/// payload. Stricter than "the API might accept it": it also holds AutoTrack to its own wire rules (no nulls, no empty
/// <c>context</c>, UTC timestamps with <c>Z</c>).
/// </summary>
public static class TrackContract
{
    /// <summary>Checks a whole request body: a non-empty JSON array of valid track objects.</summary>
    /// <param name="body">The parsed body.</param>
    /// <returns>The problems found, each prefixed with the item index; empty when the body is valid.</returns>
    public static IReadOnlyList<string> ValidateBatch(JsonElement body) => TrackContractRules.ValidateBatch(body);

    /// <summary>Checks one track object.</summary>
    /// <param name="item">The JSON of one event.</param>
    /// <returns>The problems found; empty when valid.</returns>
    public static IReadOnlyList<string> ValidateEvent(JsonElement item) => TrackContractRules.ValidateEvent(item);
}
