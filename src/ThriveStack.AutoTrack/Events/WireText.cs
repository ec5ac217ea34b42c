using System.Text.Encodings.Web;
using System.Text.Json;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The batch writer's text encoding, and the values it writes again and again encoded once: the standard event names,
/// the sources, and (through <see cref="UserAgents.UserAgentInfo"/>) a cached user agent's fields. Writing a value from
/// its encoded bytes skips the encoder's scan for characters to escape and the UTF-16 to UTF-8 transcoding, which were
/// the largest part of serializing an event (<c>perf</c>, 2026-12-02). The bytes are the same:
/// <c>WireFormatTests</c> and <c>WireTextTests</c> compare them.
/// </summary>
internal static class WireText
{
    /// <summary>The body goes to an API, not into HTML: non-ASCII text stays UTF-8 instead of <c>\uXXXX</c> escapes.</summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonEncodedText PageVisit = Encode(StandardEvents.PageVisit);
    private static readonly JsonEncodedText FeatureUsed = Encode(StandardEvents.FeatureUsed);
    private static readonly JsonEncodedText Product = Encode(EventSources.Product);
    private static readonly JsonEncodedText Marketing = Encode(EventSources.Marketing);

    /// <summary><paramref name="value"/> encoded as the batch writer encodes it; null when it cannot be (invalid UTF-16), and the writer then reports it.</summary>
    public static JsonEncodedText? TryEncode(string? value)
    {
        if (value is null)
            return null;
        try
        {
            return JsonEncodedText.Encode(value, Encoder);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="value"/> as the member <paramref name="name"/>, from encoded bytes when it is one of the constants AutoTrack itself sets.</summary>
    public static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value)
    {
        // By reference: the constants are interned, and a name that only equals one is written the ordinary way.
        if (ReferenceEquals(value, StandardEvents.PageVisit))
            writer.WriteString(name, PageVisit);
        else if (ReferenceEquals(value, StandardEvents.FeatureUsed))
            writer.WriteString(name, FeatureUsed);
        else if (ReferenceEquals(value, EventSources.Product))
            writer.WriteString(name, Product);
        else if (ReferenceEquals(value, EventSources.Marketing))
            writer.WriteString(name, Marketing);
        else
            writer.WriteString(name, value);
    }

    /// <summary>Writes <paramref name="value"/> from <paramref name="encoded"/> when that is its encoding, else the ordinary way.</summary>
    public static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value, JsonEncodedText? encoded)
    {
        if (encoded is { } text)
            writer.WriteString(name, text);
        else
            writer.WriteString(name, value);
    }

    private static JsonEncodedText Encode(string value) => JsonEncodedText.Encode(value, Encoder);
}
