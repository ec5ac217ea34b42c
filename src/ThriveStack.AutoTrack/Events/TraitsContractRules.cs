using System.Text.Json;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Events;

/// <summary>
/// The identify and group API contracts as checks on JSON (ThriveStack's "Identify" and "Group" pages): what the testing
/// kit's collector enforces on <c>/api/identify</c> and <c>/api/group</c>, with AutoTrack's own wire rules (no nulls,
/// timestamps in UTC with <c>Z</c>).
/// </summary>
internal static class TraitsContractRules
{
    private static readonly HashSet<string> IdentifyFields = ["user_id", "timestamp", "traits", "context"];
    private static readonly HashSet<string> GroupFields = ["group_id", "user_id", "timestamp", "traits", "context"];

    // Traits the API documents as arrays of strings, or as integers.
    private static readonly HashSet<string> ArrayTraits =
    [
        "enrichment_phone", "enrichment_domain_aliases", "enrichment_phone_numbers", "enrichment_email_addresses",
        "enrichment_tags", "enrichment_tech_categories",
    ];
    private static readonly HashSet<string> IntegerTraits = ["enrichment_founder_year", "enrichment_employees"];

    /// <summary>Checks a whole request body of <paramref name="kind"/> (identify or group): a non-empty JSON array of valid records.</summary>
    public static IReadOnlyList<string> ValidateBatch(RecordKind kind, JsonElement body)
    {
        var problems = new List<string>();
        if (body.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"the body must be a JSON array of {kind.Name()} records");
            return problems;
        }
        if (body.GetArrayLength() == 0)
            problems.Add("the array is empty");
        var i = 0;
        foreach (var item in body.EnumerateArray())
        {
            foreach (var p in ValidateRecord(kind, item))
                problems.Add($"[{i}] {p}");
            i++;
        }
        return problems;
    }

    /// <summary>Checks one identify or group record.</summary>
    public static IReadOnlyList<string> ValidateRecord(RecordKind kind, JsonElement item)
    {
        var problems = new List<string>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"a {kind.Name()} record must be a JSON object");
            return problems;
        }
        var fields = kind == RecordKind.Group ? GroupFields : IdentifyFields;
        foreach (var field in item.EnumerateObject())
        {
            if (!fields.Contains(field.Name))
                problems.Add($"unknown field '{field.Name}'");
            else if (field.Value.ValueKind == JsonValueKind.Null)
                problems.Add($"'{field.Name}' is null (leave optional fields out instead)");
        }

        if (kind == RecordKind.Group)
            TrackContractRules.RequireString(item, "group_id", problems);
        TrackContractRules.RequireString(item, "user_id", problems);
        TrackContractRules.RequireString(item, "timestamp", problems);
        if (item.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String && !TrackContractRules.IsUtcIso8601(ts.GetString()!))
            problems.Add($"'timestamp' \"{ts.GetString()}\" is not ISO 8601 UTC ending in Z");

        var hasTraits = item.TryGetProperty("traits", out var traits) && traits.ValueKind != JsonValueKind.Null;
        if (hasTraits)
            ValidateTraits(traits, problems);
        if (kind == RecordKind.Group && (!hasTraits || traits.ValueKind != JsonValueKind.Object || !traits.TryGetProperty("group_type", out _)))
            problems.Add("'traits.group_type' is required");
        else if (kind == RecordKind.Group)
            RequireNonEmpty(traits, "group_type", problems);

        if (item.TryGetProperty("context", out var context) && context.ValueKind != JsonValueKind.Null)
        {
            if (context.ValueKind != JsonValueKind.Object)
                problems.Add("'context' must be an object");
            else if (!context.EnumerateObject().Any())
                problems.Add("'context' is empty (leave it out instead)");
            else if (context.TryGetProperty("group_id", out var group) && (group.ValueKind != JsonValueKind.String || group.GetString()!.Length == 0))
                problems.Add("'context.group_id' must be a non-empty string");
        }
        return problems;
    }

    private static void ValidateTraits(JsonElement traits, List<string> problems)
    {
        if (traits.ValueKind != JsonValueKind.Object)
        {
            problems.Add("'traits' must be an object");
            return;
        }
        foreach (var trait in traits.EnumerateObject())
        {
            var value = trait.Value;
            if (value.ValueKind == JsonValueKind.Null)
                problems.Add($"trait '{trait.Name}' is null (leave it out instead)");
            else if (ArrayTraits.Contains(trait.Name) && (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String)))
                problems.Add($"trait '{trait.Name}' must be an array of strings");
            else if (IntegerTraits.Contains(trait.Name) && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _)))
                problems.Add($"trait '{trait.Name}' must be an integer");
            else if (trait.Name == "email" && (value.ValueKind != JsonValueKind.String || !EventValidator.LooksLikeEmail(value.GetString()!)))
                problems.Add("trait 'email' must be an e-mail address");
        }
    }

    private static void RequireNonEmpty(JsonElement obj, string name, List<string> problems)
    {
        var value = obj.GetProperty(name);
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            problems.Add($"'traits.{name}' must be a non-empty string");
    }
}
