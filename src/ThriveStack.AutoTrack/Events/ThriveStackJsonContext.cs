using System.Text.Json.Serialization;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The source-generated serializer for the wire format as <see cref="ThriveStackEvent"/>'s attributes declare it (no
/// reflection, trimming- and AOT-safe). The dispatcher writes events with <see cref="EventWriter"/>, which tests hold
/// byte for byte to this.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ThriveStackEvent))]
[JsonSerializable(typeof(List<ThriveStackEvent>))]
internal sealed partial class ThriveStackJsonContext : JsonSerializerContext;
