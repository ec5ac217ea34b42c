using System.Text.Json;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>One record a collector or recorder accepted, of any endpoint: its raw JSON and when and in which request it came.</summary>
public abstract class ReceivedRecord
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private protected ReceivedRecord(JsonElement json, int batchNumber, DateTimeOffset receivedAt)
    {
        Json = json;
        BatchNumber = batchNumber;
        ReceivedAt = receivedAt;
    }

    /// <summary>The record exactly as sent (a detached copy).</summary>
    public JsonElement Json { get; }

    /// <summary>Which accepted request of its endpoint it came in, from 1.</summary>
    public int BatchNumber { get; }

    /// <summary>When it was received (wall clock).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <inheritdoc />
    public override string ToString() => Json.GetRawText();

    /// <summary>The object member <paramref name="name"/> of the record, or an empty object when it was not sent.</summary>
    private protected JsonElement ObjectOrEmpty(string name) => Json.TryGetProperty(name, out var value) ? value : EmptyObject;

    /// <summary>A string member of <paramref name="obj"/>, or null when absent or not a string.</summary>
    private protected static string? StringOf(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
