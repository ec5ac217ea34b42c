using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// Checks and writes property values without reflection, so the wire format is the same under trimming
/// and Native AOT and an unsupported value is caught when the event is tracked, not when it is sent.
/// </summary>
internal static class PropertyValues
{
    /// <summary>Returns null when the bag is valid, else a short reason naming the offending property.</summary>
    public static string? Validate(Dictionary<string, object?> properties)
    {
        if (properties.Count > EventLimits.MaxPropertyCount)
            return "too many properties";
        foreach (var (name, value) in properties)
        {
            var problem = ValidateEntry(name, value, 1);
            if (problem is not null)
                return problem;
        }
        return null;
    }

    /// <summary>One entry of a bag at <paramref name="depth"/> (1: the event's own properties).</summary>
    internal static string? ValidateEntry(string name, object? value, int depth)
    {
        if (string.IsNullOrEmpty(name))
            return "empty property name";
        if (name.Length > EventLimits.MaxPropertyNameLength)
            return "property name longer than " + EventLimits.MaxPropertyNameLength.ToString(CultureInfo.InvariantCulture);
        var problem = ValidateValue(value, depth);
        return problem is null ? null : string.Concat("property '", Truncate(name), "': ", problem);
    }

    private static string? ValidateValue(object? value, int depth)
    {
        switch (value)
        {
            // The most common first: each type test before the right one is a comparison made for every value.
            case string s:
                return s.Length > EventLimits.MaxStringValueLength ? "string longer than the limit" : null;
            case null or bool or int or long or decimal or Guid or DateTime or DateTimeOffset or DateOnly
                or byte or sbyte or short or ushort or uint or ulong or char or Enum or JsonElement:
                return null;
            case double d:
                return double.IsFinite(d) ? null : "not a finite number";
            case float f:
                return float.IsFinite(f) ? null : "not a finite number";
            case Uri u:
                return u.OriginalString.Length > EventLimits.MaxStringValueLength ? "string longer than the limit" : null;
            case JsonNode node:
                return depth > EventLimits.MaxDepth ? "nested too deeply" : null;
        }

        // depth counts containers: properties.a = {} is depth 1.
        if (depth > EventLimits.MaxDepth)
            return "nested too deeply";

        switch (value)
        {
            case Dictionary<string, object?> dict:
                if (dict.Count > EventLimits.MaxPropertyCount)
                    return "too many properties";
                foreach (var (k, v) in dict)
                {
                    var problem = ValidateEntry(k, v, depth + 1);
                    if (problem is not null)
                        return problem;
                }
                return null;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var count = 0;
                foreach (var (k, v) in pairs)
                {
                    if (++count > EventLimits.MaxPropertyCount)
                        return "too many properties";
                    var problem = ValidateEntry(k, v, depth + 1);
                    if (problem is not null)
                        return problem;
                }
                return null;
            case IEnumerable items:
                var n = 0;
                foreach (var item in items)
                {
                    if (++n > EventLimits.MaxArrayLength)
                        return "array longer than the limit";
                    var problem = ValidateValue(item, depth + 1);
                    if (problem is not null)
                        return problem;
                }
                return null;
            default:
                return "unsupported type " + value!.GetType().Name;
        }
    }

    /// <summary>Writes a validated value. Anything unknown is written as its invariant string, never skipped.</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case byte by: writer.WriteNumberValue(by); break;
            case sbyte sb: writer.WriteNumberValue(sb); break;
            case short sh: writer.WriteNumberValue(sh); break;
            case ushort us: writer.WriteNumberValue(us); break;
            case uint ui: writer.WriteNumberValue(ui); break;
            case ulong ul: writer.WriteNumberValue(ul); break;
            case char c: writer.WriteStringValue(c.ToString()); break;
            case Guid g: writer.WriteStringValue(g); break;
            case DateTime dt: writer.WriteStringValue(dt.Kind == DateTimeKind.Unspecified ? dt : dt.ToUniversalTime()); break;
            case DateTimeOffset dto: writer.WriteStringValue(dto.UtcDateTime); break;
            case DateOnly date: writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case Enum en: writer.WriteStringValue(en.ToString()); break;
            case Uri u: writer.WriteStringValue(u.OriginalString); break;
            case JsonElement el: el.WriteTo(writer); break;
            case JsonNode node: node.WriteTo(writer); break;
            case Dictionary<string, object?> dict:
                writer.WriteStartObject();
                foreach (var (k, v) in dict)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach (var (k, v) in pairs)
                {
                    writer.WritePropertyName(k);
                    Write(writer, v);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64];
}
