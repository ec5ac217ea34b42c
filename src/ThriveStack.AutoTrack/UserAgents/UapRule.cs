using System.Text;
using System.Text.RegularExpressions;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>One uap-core rule: its regular expression, built on first use, and its replacement templates by field.</summary>
internal sealed class UapRule(string pattern, bool ignoreCase, string?[] replacements)
{
    private Regex? _regex;

    public string Pattern { get; } = pattern;

    public bool IgnoreCase { get; } = ignoreCase;

    /// <summary>The templates of the section's fields in order (UA and OS: family, major, minor, patch, patch_minor; device: family, brand, model).</summary>
    public string?[] Replacements { get; } = replacements;

    public Regex GetRegex(bool compiled, TimeSpan timeout)
    {
        var regex = Volatile.Read(ref _regex);
        if (regex is not null)
            return regex;
        var options = RegexOptions.CultureInvariant | (IgnoreCase ? RegexOptions.IgnoreCase : 0) | (compiled ? RegexOptions.Compiled : 0);
        regex = new Regex(Pattern, options, timeout);
        return Interlocked.CompareExchange(ref _regex, regex, null) ?? regex;
    }

    /// <summary>
    /// A field's value: its template with <c>$1</c>..<c>$9</c> filled from the match (a group that did not take part is
    /// empty), or without a template the match group <paramref name="group"/> (0 for none); trimmed; empty becomes null.
    /// </summary>
    public string? Value(int field, Match match, int group)
    {
        var template = Replacements[field];
        if (template is null)
            return group > 0 && group < match.Groups.Count && match.Groups[group].Success ? NullIfEmpty(match.Groups[group].ValueSpan) : null;
        if (template.IndexOf('$') < 0)
            return NullIfEmpty(template);

        var result = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '$' && i + 1 < template.Length && template[i + 1] is >= '1' and <= '9')
            {
                var n = template[++i] - '0';
                if (n < match.Groups.Count && match.Groups[n].Success)
                    result.Append(match.Groups[n].ValueSpan);
                continue;
            }
            result.Append(c);
        }
        return NullIfEmpty(result.ToString());
    }

    private static string? NullIfEmpty(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        return trimmed.IsEmpty ? null : trimmed.ToString();
    }
}
