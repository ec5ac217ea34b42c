using System.Text.Json;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// Reads one <c>/collect</c> body: <c>{"events":[{"kind":"page_view","url":...,"referrer":...,"title":...},
/// {"kind":"feature","name":...}, {"kind":"event","name":...}]}</c>, strings only, nothing else. The whole post is
/// refused for the first problem (a short reason, never a value): the script never sends anything else, so anything
/// else did not come from it.
/// </summary>
internal static class CollectRequest
{
    public const int MaxUrlLength = 2048, MaxTitleLength = 256, MaxNameLength = 128;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 3, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The events of <paramref name="body"/>, or the reason it is refused.</summary>
    public static string? Parse(ReadOnlySpan<byte> body, int maxEvents, List<BrowserEvent> events)
    {
        try
        {
            return ParseCore(body, maxEvents, events);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return CollectRefusals.Malformed; // not JSON, too deep, invalid UTF-8 or UTF-16 (a lone surrogate)
        }
    }

    private static string? ParseCore(ReadOnlySpan<byte> body, int maxEvents, List<BrowserEvent> events)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return CollectRefusals.Malformed;
        var sawEvents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (sawEvents || !reader.ValueTextEquals("events"u8) || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return CollectRefusals.Malformed;
            sawEvents = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (events.Count == maxEvents)
                    return CollectRefusals.TooMany;
                var problem = ReadEvent(ref reader, out var item);
                if (problem is not null)
                    return problem;
                events.Add(item);
            }
        }
        if (!sawEvents || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            return CollectRefusals.Malformed;
        return events.Count == 0 ? CollectRefusals.Malformed : null;
    }

    private static string? ReadEvent(ref Utf8JsonReader reader, out BrowserEvent item)
    {
        item = default;
        if (reader.TokenType != JsonTokenType.StartObject)
            return CollectRefusals.Malformed;
        string? kind = null, url = null, referrer = null, title = null, name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueSpan;
            if (!reader.Read())
                return CollectRefusals.Malformed;
            if (reader.TokenType == JsonTokenType.Null)
                continue;
            if (reader.TokenType != JsonTokenType.String)
                return CollectRefusals.Malformed;
            string? problem;
            if (field.SequenceEqual("kind"u8))
                problem = Read(ref reader, 16, out kind);
            else if (field.SequenceEqual("url"u8))
                problem = Read(ref reader, MaxUrlLength, out url);
            else if (field.SequenceEqual("referrer"u8))
                problem = Read(ref reader, MaxUrlLength, out referrer);
            else if (field.SequenceEqual("title"u8))
                problem = Read(ref reader, MaxTitleLength, out title);
            else if (field.SequenceEqual("name"u8))
                problem = Read(ref reader, MaxNameLength, out name);
            else
                problem = CollectRefusals.Malformed; // user_id, group_id, context...: the server decides who, never the body
            if (problem is not null)
                return problem;
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            return CollectRefusals.Malformed;

        var parsed = kind switch
        {
            "page_view" => BrowserEventKind.PageView,
            "feature" => BrowserEventKind.Feature,
            "event" => BrowserEventKind.Event,
            null => (BrowserEventKind?)null,
            _ => BrowserEventKind.Unknown,
        };
        if (parsed is null)
            return CollectRefusals.MissingField;
        if (parsed == BrowserEventKind.Unknown)
            return CollectRefusals.UnknownKind;
        if (parsed == BrowserEventKind.PageView ? url is null : name is null)
            return CollectRefusals.MissingField;
        item = new BrowserEvent(parsed.Value, url, referrer, title, name);
        return null;
    }

    /// <summary>A string value within <paramref name="max"/> characters, with no control characters and no lone surrogates.</summary>
    private static string? Read(ref Utf8JsonReader reader, int max, out string? value)
    {
        value = null;
        if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > 6L * max)
            return CollectRefusals.TooLong; // longer than any escaping of max characters could make it
        var text = reader.GetString()!;
        if (text.Length > max)
            return CollectRefusals.TooLong;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
                return CollectRefusals.ControlCharacters;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return CollectRefusals.Malformed;
        }
        value = text.Length == 0 ? null : text;
        return null;
    }
}

/// <summary>What the script may report.</summary>
internal enum BrowserEventKind
{
    Unknown,
    PageView,
    Feature,
    Event,
}

/// <summary>One reported event, as read; the server checks its URL and name before it becomes a track event.</summary>
internal readonly record struct BrowserEvent(BrowserEventKind Kind, string? Url, string? Referrer, string? Title, string? Name);

/// <summary>Why a <c>/collect</c> request was refused: the <c>reason</c> of <c>thrivestack.browser.refused</c> and of the log line.</summary>
internal static class CollectRefusals
{
    public const string CrossSite = "cross_site";
    public const string Method = "method";
    public const string TooLarge = "too_large";
    public const string Malformed = "malformed";
    public const string TooMany = "too_many";
    public const string TooLong = "too_long";
    public const string ControlCharacters = "control_characters";
    public const string UnknownKind = "unknown_kind";
    public const string MissingField = "missing_field";
    public const string InvalidUrl = "invalid_url";
    public const string InvalidName = "invalid_name";
    public const string RateLimited = "rate_limited";
    public const string Aborted = "aborted"; // the browser went away before its body arrived: nothing to answer
}
