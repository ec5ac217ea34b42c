using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// The <c>warnings</c> the track API returns with an accepted batch (for example, a standard event missing a field that
/// a report needs): every one counted (<c>thrivestack.api.warnings</c>), each distinct text logged once, with the
/// response's documentation URL, and kept for the events page. Bounded: at most <see cref="MaxDistinct"/> texts are
/// remembered; later new ones are counted and logged at most once a minute.
/// </summary>
internal sealed partial class ApiWarnings(ThriveStackMetrics metrics, TimeProvider time, ILogger<ApiWarnings> logger)
{
    /// <summary>Most distinct warning texts remembered (and logged once each).</summary>
    public const int MaxDistinct = 256;

    /// <summary>Longest warning text kept, in characters.</summary>
    public const int MaxLength = 512;

    private readonly Dictionary<string, ApiWarning> _seen = new(StringComparer.Ordinal);
    private readonly LogThrottle _overflowLog = new(time, TimeSpan.FromMinutes(1));

    /// <summary>Reads <c>warnings</c> and <c>documentation</c> from a response body; anything else, or malformed JSON, is ignored.</summary>
    public void Report(ReadOnlySpan<byte> responseBody)
    {
        if (responseBody.IsEmpty)
            return;
        List<string>? warnings = null;
        string? documentation = null;
        try
        {
            var reader = new Utf8JsonReader(responseBody, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isWarnings = reader.ValueTextEquals("warnings"u8);
                var isDocumentation = !isWarnings && reader.ValueTextEquals("documentation"u8);
                if (!reader.Read())
                    break;
                if (isWarnings && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } text)
                            (warnings ??= []).Add(text.Length > MaxLength ? text[..MaxLength] : text);
                        else
                            reader.Skip(); // a number, null, or a whole object or array: not a warning
                    }
                }
                else if (isDocumentation && reader.TokenType == JsonTokenType.String)
                {
                    documentation = reader.GetString();
                }
                else
                {
                    reader.Skip(); // any other value, or a warnings/documentation of the wrong kind
                }
            }
        }
        catch (JsonException)
        {
            // Not the API's JSON after all; the batch was accepted, and there is nothing to report.
        }
        if (warnings is not null)
            Report(warnings, documentation);
    }

    /// <summary>Counts the warnings of one answer and logs the new ones.</summary>
    public void Report(IReadOnlyList<string> warnings, string? documentation)
    {
        metrics.ApiWarnings(warnings.Count);
        foreach (var text in warnings)
        {
            bool isNew, overflow = false;
            lock (_seen)
            {
                if (_seen.TryGetValue(text, out var known))
                {
                    known.Count++;
                    continue;
                }
                isNew = _seen.Count < MaxDistinct;
                if (isNew)
                    _seen[text] = new ApiWarning(text, documentation, time.GetUtcNow()) { Count = 1 };
                else
                    overflow = true;
            }
            if (isNew)
                Log.Warning(logger, text, documentation ?? "(none)");
            else if (overflow && _overflowLog.TryEnter(out var suppressed))
                Log.TooMany(logger, MaxDistinct, text, suppressed);
        }
    }

    /// <summary>The distinct warnings seen so far, most frequent first.</summary>
    public IReadOnlyList<ApiWarning> Snapshot()
    {
        lock (_seen)
            return _seen.Values.Select(w => w with { }).OrderByDescending(w => w.Count).ToList();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ApiWarning, LogLevel.Warning,
            "ThriveStack: the track API accepted a batch with a warning: \"{Warning}\" (documentation: {Documentation}). Each distinct warning is logged once; all are counted on thrivestack.api.warnings.")]
        public static partial void Warning(ILogger logger, string warning, string documentation);

        [LoggerMessage(LogEvents.ApiWarning, LogLevel.Warning,
            "ThriveStack: the track API returned more than {Max} distinct warnings; new ones are counted but no longer logged each, e.g. \"{Warning}\". Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void TooMany(ILogger logger, int max, string warning, long suppressed);
    }
}

/// <summary>One distinct warning from the track API: its text, the documentation URL of the answer that first gave it, when, and how often since.</summary>
internal sealed record ApiWarning(string Text, string? Documentation, DateTimeOffset FirstSeen)
{
    public long Count { get; set; }
}
