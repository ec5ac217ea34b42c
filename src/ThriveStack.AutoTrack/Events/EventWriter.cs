using System.Text.Json;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// Writes one event in the track API's wire format, field by field: what <see cref="ThriveStackEvent"/>'s JSON attributes
/// declare (<c>event_name</c>, <c>properties</c>, <c>user_id</c>, <c>timestamp</c>, <c>context</c>; absent values
/// omitted), without the serializer's per-property metadata dispatch, which cost the dispatcher more than all the rest of
/// an event's serialization. <c>WireFormatTests</c> holds it byte for byte to the source-generated serializer.
/// </summary>
internal static class EventWriter
{
    private static readonly JsonEncodedText EventName = JsonEncodedText.Encode("event_name");
    private static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
    private static readonly JsonEncodedText UserId = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Context = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText GroupId = JsonEncodedText.Encode("group_id");
    private static readonly JsonEncodedText DeviceId = JsonEncodedText.Encode("device_id");
    private static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("session_id");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");

    public static void Write(Utf8JsonWriter writer, ThriveStackEvent trackEvent)
    {
        writer.WriteStartObject();
        if (trackEvent.EventName is { } name)
            WireText.WriteString(writer, EventName, name);
        if (trackEvent.Deferred is { } deferred)
        {
            if (deferred.Count > 0) // then the bag itself is null: see ThriveStackEvent.Deferred
            {
                writer.WriteStartObject(Properties);
                deferred.WriteMembers(writer);
                writer.WriteEndObject();
            }
        }
        else if (trackEvent.WireProperties is { } properties)
        {
            writer.WritePropertyName(Properties);
            PropertyValues.Write(writer, properties);
        }
        if (trackEvent.UserId is { } userId)
            writer.WriteString(UserId, userId);
        if (trackEvent.WireTimestamp is { } timestamp)
            writer.WriteString(Timestamp, timestamp);
        if (trackEvent.DeferredContext is { } request)
            WriteContext(writer, request.GroupId, request.DeviceId, request.SessionId, request.Source);
        else if (trackEvent.WireContext is { } context)
            WriteContext(writer, context.GroupId, context.DeviceId, context.SessionId, context.Source);
        writer.WriteEndObject();
    }

    private static void WriteContext(Utf8JsonWriter writer, string? groupId, string? deviceId, string? sessionId, string? source)
    {
        if (groupId is null && deviceId is null && sessionId is null && source is null)
            return; // an empty context is left out
        writer.WriteStartObject(Context);
        WriteIfSet(writer, GroupId, groupId);
        WriteIfSet(writer, DeviceId, deviceId);
        WriteIfSet(writer, SessionId, sessionId);
        if (source is not null)
            WireText.WriteString(writer, Source, source);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }
}
