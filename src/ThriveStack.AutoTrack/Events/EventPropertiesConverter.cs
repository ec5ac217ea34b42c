using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThriveStack.AutoTrack.Events;

/// <summary>Writes <see cref="ThriveStackEvent.Properties"/> with <see cref="PropertyValues"/>; AutoTrack only ever writes events.</summary>
internal sealed class EventPropertiesConverter : JsonConverter<Dictionary<string, object?>>
{
    public override Dictionary<string, object?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("AutoTrack writes events; it does not read them.");

    public override void Write(Utf8JsonWriter writer, Dictionary<string, object?> value, JsonSerializerOptions options)
        => PropertyValues.Write(writer, value);
}
