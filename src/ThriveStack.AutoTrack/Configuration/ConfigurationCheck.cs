using Microsoft.Extensions.Configuration;

namespace ThriveStack.AutoTrack.Configuration;

/// <summary>A key under the options' section that no option reads, and the valid key it most likely meant.</summary>
internal sealed record UnknownKey(string Path, string? Suggestion, string Reason);

/// <summary>A list option given as one value (<c>ThriveStack__PageVisits__ExcludePaths=/a,/b</c>), split at commas and semicolons.</summary>
internal sealed record ScalarList(string RelativePath, IReadOnlyList<string> Items);

/// <summary>What a configuration section holds that binding alone would get wrong: unknown keys, values that do not convert, lists given as one value.</summary>
internal sealed class ConfigurationCheck
{
    private static readonly char[] ListSeparators = [',', ';'];

    private ConfigurationCheck()
    {
    }

    /// <summary>Keys no option reads (misspellings, most often), each with the closest valid key when one is close.</summary>
    public List<UnknownKey> Unknown { get; } = [];

    /// <summary>Values that do not convert to their option's type, each saying which values are valid.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>List options given as a single value.</summary>
    public List<ScalarList> ScalarLists { get; } = [];

    /// <summary>Inspects <paramref name="section"/> (the <c>ThriveStack</c> section, or the one bound instead).</summary>
    public static ConfigurationCheck Inspect(IConfiguration section)
    {
        var check = new ConfigurationCheck();
        check.Walk(section, "");
        return check;
    }

    private void Walk(IConfiguration section, string relativePath)
    {
        var keys = OptionsSchema.KeysOf(relativePath);
        if (keys is null)
            return;
        foreach (var child in section.GetChildren())
        {
            if (!keys.TryGetValue(child.Key, out var key))
            {
                Unknown.Add(new UnknownKey(child.Path, Suggest(relativePath, child.Key), "is not an AutoTrack option and is ignored"));
                continue;
            }
            switch (key.Kind)
            {
                case OptionKind.Value when child.Value is { } value && ConversionProblem(key, value) is { } fix:
                    Problems.Add($"{child.Path} is '{value}', which is not valid: {fix}.");
                    break;
                case OptionKind.List when !string.IsNullOrWhiteSpace(child.Value):
                    ScalarLists.Add(new ScalarList(relativePath.Length == 0 ? key.Name : relativePath + ":" + key.Name,
                        child.Value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
                    break;
                case OptionKind.Section:
                    Walk(child, relativePath.Length == 0 ? key.Name : relativePath + ":" + key.Name);
                    break;
                case OptionKind.CodeOnly:
                    Unknown.Add(new UnknownKey(child.Path, null, "is a callback, which can only be set in code (AddThriveStack(o => ...)), and is ignored"));
                    break;
            }
        }
    }

    private static string? ConversionProblem(OptionKey key, string value)
        => value.Length == 0 ? null : OptionsSchema.ConversionProblem(key, value); // an empty value leaves the default, as the binder does

    /// <summary>The valid key meant by <paramref name="name"/> in <paramref name="sectionPath"/>: the same name in another section, else the closest spelling.</summary>
    internal static string? Suggest(string sectionPath, string name)
    {
        var prefix = sectionPath.Length == 0 ? "" : sectionPath + ":";
        // Right name, wrong level (ThriveStack:ExcludePaths for ThriveStack:PageVisits:ExcludePaths).
        var moved = OptionsSchema.AllPaths().FirstOrDefault(p => LastSegment(p).Equals(name, StringComparison.OrdinalIgnoreCase));
        if (moved is not null)
            return moved;
        var local = OptionsSchema.KeysOf(sectionPath)!.Keys
            .Select(k => (Key: k, Distance: Distance(name, k)))
            .OrderBy(c => c.Distance).FirstOrDefault();
        if (local.Key is not null && local.Distance <= Math.Max(2, name.Length / 4))
            return prefix + local.Key;
        var anywhere = OptionsSchema.AllPaths()
            .Select(p => (Path: p, Distance: Distance(prefix + name, p)))
            .OrderBy(c => c.Distance).FirstOrDefault();
        return anywhere.Path is not null && anywhere.Distance <= 3 ? anywhere.Path : null;
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf(':') + 1)..];

    /// <summary>Case-insensitive Levenshtein distance (insert, delete, substitute), plus swapping two neighbours as one edit.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 2])
                    && char.ToUpperInvariant(a[i - 2]) == char.ToUpperInvariant(b[j - 1]))
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
