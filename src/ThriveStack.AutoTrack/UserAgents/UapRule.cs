using System.Text;
using System.Text.RegularExpressions;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>One uap-core rule: its pattern and its replacement templates by field (shared, immutable).</summary>
internal sealed class UapRule(string pattern, bool ignoreCase, string?[] replacements)
{
    public string Pattern { get; } = pattern;

    public bool IgnoreCase { get; } = ignoreCase;

    /// <summary>The templates of the section's fields in order (UA and OS: family, major, minor, patch, patch_minor; device: family, brand, model).</summary>
    public string?[] Replacements { get; } = replacements;

    /// <summary>
    /// uap-core's lazy "within the first N characters" rules, <c>^.{0,N}?X</c>, mostly generic bot catchers, make a
    /// backtracking engine try every prefix length against long alternations. They run as the unanchored <c>X</c>
    /// instead, with the same result: the leftmost match of X that starts at or before N (<c>.</c> stops at a newline, so
    /// N is cut there). The prefix captures nothing, so group numbers do not change. The greedy form, <c>^.{0,N}X</c>,
    /// wants the rightmost such start instead, which only matters when a field reads a capture: when every field is a
    /// fixed replacement (the catch-all bot rule is), only whether a match exists counts, and it runs the same way.
    /// </summary>
    private static readonly Regex WithinPrefix = new(@"^\^\.\{0,(\d+)\}(\?)?", RegexOptions.CultureInvariant);

    private readonly (string Body, int Limit)? _within = ParseWithin(pattern, replacements);

    private static (string, int)? ParseWithin(string pattern, string?[] replacements)
    {
        var m = WithinPrefix.Match(pattern);
        if (!m.Success || !int.TryParse(m.Groups[1].ValueSpan, out var limit))
            return null;
        var lazy = m.Groups[2].Success;
        var readsNoCapture = replacements.All(r => r is not null && !r.Contains('$', StringComparison.Ordinal));
        return lazy || readsNoCapture ? (pattern[m.Length..], limit) : null;
    }

    /// <summary>
    /// The handful of rules that dominate parsing time when interpreted: uap-core's generic bot catchers (the "within the
    /// first N characters" rules and the very long alternations). They are compiled, during the startup warm-up.
    /// </summary>
    public bool IsHeavy { get; } = pattern.StartsWith("^.{0,", StringComparison.Ordinal) || pattern.Length > 600;

    public Regex CreateRegex(bool compiled, TimeSpan timeout)
        => new(_within?.Body ?? Pattern, RegexOptions.CultureInvariant | (IgnoreCase ? RegexOptions.IgnoreCase : 0) | (compiled ? RegexOptions.Compiled : 0), timeout);

    /// <summary>Matches <paramref name="input"/> with the regex from <see cref="CreateRegex"/>, as the rule's full pattern would.</summary>
    public Match Match(Regex regex, string input)
    {
        if (_within is not { } within)
            return regex.Match(input);

        var newline = input.IndexOf('\n');
        var limit = newline >= 0 ? Math.Min(within.Limit, newline) : within.Limit;
        var match = regex.Match(input);
        return match.Success && match.Index <= limit ? match : System.Text.RegularExpressions.Match.Empty;
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
