using System.Globalization;
using System.Text.Json;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The ThriveStack track API contract as checks on JSON: what the testing kit's collector enforces (its public face is
/// <c>TrackContract</c>) and what the events page highlights. Stricter than "the API might accept it": it also holds
/// AutoTrack to its own wire rules (no nulls, no empty <c>context</c>, UTC timestamps with <c>Z</c>).
/// </summary>
internal static class TrackContractRules
{
    private static readonly HashSet<string> TopLevelFields = ["event_name", "user_id", "properties", "context", "timestamp"];
    private static readonly HashSet<string> ContextFields = ["group_id", "device_id", "session_id", "source"];

    /// <summary>Checks a whole request body: a non-empty JSON array of valid track objects.</summary>
    /// <param name="body">The parsed body.</param>
    /// <returns>The problems found, each prefixed with the item index; empty when the body is valid.</returns>
    public static IReadOnlyList<string> ValidateBatch(JsonElement body)
    {
        var problems = new List<string>();
        if (body.ValueKind != JsonValueKind.Array)
        {
            problems.Add("the body must be a JSON array of track objects");
            return problems;
        }
        if (body.GetArrayLength() == 0)
            problems.Add("the array is empty");
        var i = 0;
        foreach (var item in body.EnumerateArray())
        {
            foreach (var p in ValidateEvent(item))
                problems.Add($"[{i}] {p}");
            i++;
        }
        return problems;
    }

    /// <summary>Checks one track object.</summary>
    /// <param name="item">The JSON of one event.</param>
    /// <returns>The problems found; empty when valid.</returns>
    public static IReadOnlyList<string> ValidateEvent(JsonElement item)
    {
        var problems = new List<string>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add("a track object must be a JSON object");
            return problems;
        }

        foreach (var field in item.EnumerateObject())
        {
            if (!TopLevelFields.Contains(field.Name))
                problems.Add($"unknown field '{field.Name}'");
            else if (field.Value.ValueKind == JsonValueKind.Null)
                problems.Add($"'{field.Name}' is null (leave optional fields out instead)");
        }

        RequireString(item, "event_name", problems);
        RequireString(item, "user_id", problems);

        if (item.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            if (ts.ValueKind != JsonValueKind.String)
                problems.Add("'timestamp' must be a string");
            else if (!IsUtcIso8601(ts.GetString()!))
                problems.Add($"'timestamp' \"{ts.GetString()}\" is not ISO 8601 UTC ending in Z");
        }

        if (item.TryGetProperty("context", out var context) && context.ValueKind != JsonValueKind.Null)
            ValidateContext(context, problems);

        if (item.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
            ValidateProperties(properties, problems);

        return problems;
    }

    private static void ValidateContext(JsonElement context, List<string> problems)
    {
        if (context.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'context' must be an object");
            return;
        }
        var count = 0;
        foreach (var field in context.EnumerateObject())
        {
            count++;
            if (!ContextFields.Contains(field.Name))
                problems.Add($"unknown context field '{field.Name}'");
            else if (field.Value.ValueKind != JsonValueKind.String)
                problems.Add($"'context.{field.Name}' must be a string");
            else if (field.Value.GetString()!.Length == 0)
                problems.Add($"'context.{field.Name}' is empty");
        }
        if (count == 0)
            problems.Add("'context' is empty (leave it out instead)");
        if (context.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String &&
            source.GetString() is not (EventSources.Product or EventSources.Marketing))
        {
            problems.Add($"'context.source' must be \"product\" or \"marketing\", not \"{source.GetString()}\"");
        }
    }

    private static void ValidateProperties(JsonElement properties, List<string> problems)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'properties' must be an object");
            return;
        }
        foreach (var p in properties.EnumerateObject())
        {
            var kind = p.Value.ValueKind;
            switch (p.Name)
            {
                case ReservedProperties.Revenue or ReservedProperties.Value when kind != JsonValueKind.Number:
                    problems.Add($"reserved property '{p.Name}' must be a number");
                    break;
                case ReservedProperties.Currency when kind != JsonValueKind.String || !IsCurrencyCode(p.Value.GetString()!):
                    problems.Add("reserved property 'currency' must be an ISO 4217 code such as \"USD\"");
                    break;
                case ReservedProperties.FeatureType when kind != JsonValueKind.String ||
                    p.Value.GetString() is not (FeatureTypes.Core or FeatureTypes.Secondary or FeatureTypes.AddOn):
                    problems.Add("reserved property 'feature_type' must be \"core\", \"secondary\" or \"add-on\"");
                    break;
                case ReservedProperties.FeatureName or ReservedProperties.PageUrl or ReservedProperties.PagePath
                    or ReservedProperties.PageReferrer or ReservedProperties.UtmSource or ReservedProperties.UtmMedium
                    or ReservedProperties.UtmCampaign when kind != JsonValueKind.String:
                    problems.Add($"reserved property '{p.Name}' must be a string");
                    break;
            }
        }
        if (properties.TryGetProperty(ReservedProperties.Revenue, out _) && !properties.TryGetProperty(ReservedProperties.Currency, out _))
            problems.Add("'revenue' is set without 'currency'");
    }

    internal static void RequireString(JsonElement item, string name, List<string> problems)
    {
        if (!item.TryGetProperty(name, out var value))
            problems.Add($"'{name}' is required");
        else if (value.ValueKind != JsonValueKind.String)
            problems.Add($"'{name}' must be a string");
        else if (string.IsNullOrWhiteSpace(value.GetString()))
            problems.Add($"'{name}' is empty");
    }

    internal static bool IsUtcIso8601(string value)
        => value.EndsWith('Z') &&
           DateTimeOffset.TryParseExact(value, ["yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ"], CultureInfo.InvariantCulture,
               DateTimeStyles.AssumeUniversal, out _);

    private static bool IsCurrencyCode(string value)
        => value.Length == 3 && value.All(char.IsAsciiLetterUpper);
}
