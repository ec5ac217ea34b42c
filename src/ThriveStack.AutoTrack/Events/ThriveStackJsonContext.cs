using System.Text.Json.Serialization;

namespace ThriveStack.AutoTrack.Events;

/// <summary>The source-generated serializer for the wire format: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ThriveStackEvent))]
[JsonSerializable(typeof(List<ThriveStackEvent>))]
internal sealed partial class ThriveStackJsonContext : JsonSerializerContext;
