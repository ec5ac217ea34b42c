using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using ThriveStack.AutoTrack.EventsPage;
using ThriveStack.AutoTrack.Features;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.PageVisits;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Configuration;

/// <summary>What a configuration key under <c>ThriveStack</c> may hold.</summary>
internal enum OptionKind
{
    /// <summary>One value: a string, number, boolean, duration, URL or enum name.</summary>
    Value,
    /// <summary>A list of strings (<c>Key:0</c>, <c>Key:1</c>, …, or one comma-separated value).</summary>
    List,
    /// <summary>A nested section of options.</summary>
    Section,
    /// <summary>A callback, settable only in code.</summary>
    CodeOnly,
}

/// <summary>One option as configuration sees it: its key, kind and value type.</summary>
internal sealed record OptionKey(string Name, OptionKind Kind, Type ValueType);

/// <summary>
/// The keys AutoTrack's options accept, read from the option classes' public settable properties (so a new option is
/// known here without more code), one section at a time; trimming keeps those properties.
/// </summary>
internal static class OptionsSchema
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, OptionKey>> Sections = Build();

    /// <summary>The keys of a section, by path relative to <c>ThriveStack</c> ("" for the top level); null when the path is not a section.</summary>
    public static IReadOnlyDictionary<string, OptionKey>? KeysOf(string sectionPath)
        => Sections.TryGetValue(sectionPath, out var keys) ? keys : null;

    /// <summary>Every key's path relative to <c>ThriveStack</c>, sections excluded.</summary>
    public static IEnumerable<string> AllPaths()
        => Sections.SelectMany(s => s.Value.Values.Where(k => k.Kind != OptionKind.Section)
            .Select(k => s.Key.Length == 0 ? k.Name : s.Key + ":" + k.Name));

    private static Dictionary<string, IReadOnlyDictionary<string, OptionKey>> Build() => new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = Describe<ThriveStackOptions>(),
        ["PageVisits"] = Describe<PageVisitOptions>(),
        ["Features"] = Describe<FeatureTrackingOptions>(),
        ["UserAgents"] = Describe<UserAgentParserOptions>(),
        ["Identity"] = Describe<VisitorIdentityOptions>(),
        ["Privacy"] = Describe<PrivacyOptions>(),
        ["EventsPage"] = Describe<EventsPageOptions>(),
    };

    private static Dictionary<string, OptionKey> Describe<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>()
    {
        var keys = new Dictionary<string, OptionKey>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
                continue;
            keys[property.Name] = new OptionKey(property.Name, KindOf(property.PropertyType), property.PropertyType);
        }
        return keys;
    }

    private static OptionKind KindOf(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type))
            return OptionKind.CodeOnly;
        if (type == typeof(string) || type == typeof(Uri) || type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan)
            || Nullable.GetUnderlyingType(type) is not null)
            return OptionKind.Value;
        if (type.IsGenericType && type.GetGenericArguments() is [var item] && item == typeof(string))
            return OptionKind.List;
        return OptionKind.Section;
    }

    /// <summary>Null when <paramref name="value"/> converts to the option's type as the configuration binder converts it; else what to write instead.</summary>
    public static string? ConversionProblem(OptionKey key, string value)
    {
        var type = Nullable.GetUnderlyingType(key.ValueType) ?? key.ValueType;
        var text = value.Trim();
        if (type == typeof(bool))
            return bool.TryParse(text, out _) ? null : "use true or false";
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            return names.Any(n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) ? null : "use " + OneOf(names);
        }
        if (type == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "use a whole number such as 500";
        if (type == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "use a whole number such as 1048576";
        if (type == typeof(TimeSpan))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _) ? null : "use a duration as [d.]hh:mm:ss[.fff], such as 00:00:05 for 5 seconds";
        if (type == typeof(Uri))
            return Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _) ? null : "use an absolute URL such as https://api.app.thrivestack.ai/api/track";
        return null;
    }

    private static string OneOf(string[] names)
        => names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
}
