using System.Text;
using System.Text.RegularExpressions;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>One uap-core rule: its pattern and its replacement templates by field (shared, immutable).</summary>
internal sealed class UapRule
{
    private UapRule(string pattern, bool ignoreCase, string?[] replacements, (string Body, int Limit)? within, StartPositions? starts)
    {
        Pattern = pattern;
        IgnoreCase = ignoreCase;
        Replacements = replacements;
        IsHeavy = pattern.StartsWith("^.{0,", StringComparison.Ordinal) || pattern.Length > 600;
        _within = within;
        _starts = starts;
    }

    /// <summary>
    /// Analyzes one uap-core rule (the table compiler's work, <see cref="UapRuleSet.Compile"/>): the rule, and the
    /// required clauses of its <see cref="ExecutedPattern"/>, the prefilter's key.
    /// </summary>
    public static (UapRule Rule, IReadOnlyList<RegexLiterals.Clause> Clauses) Compile(string pattern, bool ignoreCase, string?[] replacements)
    {
        var within = ParseWithin(pattern, replacements);
        var executed = within?.Body ?? pattern;
        var clauses = RegexLiterals.Analyze(executed);
        return (new UapRule(pattern, ignoreCase, replacements, within, StartPositions.For(executed, ignoreCase, clauses)), clauses);
    }

    /// <summary>Writes what <see cref="ReadFrom"/> reads back (the compiled rule table).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(Pattern);
        writer.Write(IgnoreCase);
        writer.Write((byte)Replacements.Length);
        foreach (var replacement in Replacements)
            writer.WriteNullable(replacement);
        writer.Write(_within is { } within ? Pattern.Length - within.Body.Length : -1);
        writer.Write(_within?.Limit ?? 0);
        writer.Write(_starts is not null);
        _starts?.WriteTo(writer);
    }

    public static UapRule ReadFrom(BinaryReader reader)
    {
        var pattern = reader.ReadString();
        var ignoreCase = reader.ReadBoolean();
        var replacements = new string?[reader.ReadByte()];
        for (var f = 0; f < replacements.Length; f++)
            replacements[f] = reader.ReadNullableString();
        var bodyStart = reader.ReadInt32();
        var limit = reader.ReadInt32();
        var starts = reader.ReadBoolean() ? StartPositions.ReadFrom(reader) : null;
        return new UapRule(pattern, ignoreCase, replacements, bodyStart < 0 ? null : (pattern[bodyStart..], limit), starts);
    }

    public string Pattern { get; }

    public bool IgnoreCase { get; }

    /// <summary>The templates of the section's fields in order (UA and OS: family, major, minor, patch, patch_minor; device: family, brand, model).</summary>
    public string?[] Replacements { get; }

    /// <summary>
    /// uap-core's lazy "within the first N characters" rules, <c>^.{0,N}?X</c>, mostly generic bot catchers, make a
    /// backtracking engine try every prefix length against long alternations. They run as the unanchored <c>X</c>
    /// instead, with the same result: the leftmost match of X that starts at or before N (<c>.</c> stops at a newline, so
    /// N is cut there). The prefix captures nothing, so group numbers do not change. The greedy form, <c>^.{0,N}X</c>,
    /// wants the rightmost such start instead, which only matters when a field reads a capture: when every field is a
    /// fixed replacement (the catch-all bot rule is), only whether a match exists counts, and it runs the same way.
    /// </summary>
    private static class Prefix
    {
        // In a class of its own, so a rule read from the compiled table does not construct it.
        public static readonly Regex Within = new(@"^\^\.\{0,(\d+)\}(\?)?", RegexOptions.CultureInvariant);
    }

    private readonly (string Body, int Limit)? _within;

    private static (string Body, int Limit)? ParseWithin(string pattern, string?[] replacements)
    {
        var m = Prefix.Within.Match(pattern);
        if (!m.Success || !int.TryParse(m.Groups[1].ValueSpan, out var limit))
            return null;
        var lazy = m.Groups[2].Success;
        var readsNoCapture = replacements.All(r => r is not null && !r.Contains('$', StringComparison.Ordinal));
        return lazy || readsNoCapture ? (pattern[m.Length..], limit) : null;
    }

    /// <summary>
    /// The handful of rules that dominate parsing time when interpreted: uap-core's generic bot catchers (the "within the
    /// first N characters" rules and the very long alternations). They are compiled from their second use even when <see cref="UserAgentParserOptions.CompileRegexes"/> is off.
    /// </summary>
    public bool IsHeavy { get; }

    /// <summary>The pattern the rule's regex runs: <see cref="Pattern"/>, or its body without a "within the first N characters" prefix.</summary>
    public string ExecutedPattern => _within?.Body ?? Pattern;

    private readonly StartPositions? _starts;

    /// <summary>Whether the rule's regex is anchored where <see cref="StartPositions"/> says a match can start, instead of searching.</summary>
    public bool Positioned => _starts is not null;

    public Regex CreateRegex(bool compiled, TimeSpan timeout) => CreateRegexWith(compiled ? RegexOptions.Compiled : 0, timeout);

    public Regex CreateRegexWith(RegexOptions engine, TimeSpan timeout)
        => new(_starts is null ? ExecutedPattern : $@"\G(?:{ExecutedPattern})", RegexOptions.CultureInvariant | (IgnoreCase ? RegexOptions.IgnoreCase : 0) | engine, timeout);

    /// <summary>
    /// Matches <paramref name="input"/> with the regex from <see cref="CreateRegex"/>, as the rule's full pattern would,
    /// searching from <paramref name="startAt"/>: a position no match can start before (the prefilter knows it from
    /// where the rule's literals first occur). The text before it still counts for anchors, <c>\b</c> and lookbehinds.
    /// </summary>
    public Match Match(Regex regex, string input, int startAt = 0)
    {
        var limit = input.Length;
        if (_within is { } within)
        {
            var newline = input.IndexOf('\n');
            limit = newline >= 0 ? Math.Min(within.Limit, newline) : within.Limit;
            if (startAt > limit)
                return System.Text.RegularExpressions.Match.Empty;
        }
        if (_starts is not null)
            return MatchAtStarts(regex, input, startAt, Math.Min(limit, input.Length));

        var match = regex.Match(input, startAt);
        return match.Success && match.Index <= limit ? match : System.Text.RegularExpressions.Match.Empty;
    }

    /// <summary>Tries the anchored regex at each position a match can start at, in order: the first success is the leftmost match.</summary>
    private Match MatchAtStarts(Regex anchored, string input, int startAt, int limit)
    {
        var words = (limit >> 6) + 1;
        var positions = words <= 64 ? stackalloc ulong[words] : new ulong[words];
        _starts!.Mark(input, startAt, limit, positions);
        for (var word = 0; word < positions.Length; word++)
        {
            var bits = positions[word];
            while (bits != 0)
            {
                var position = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var match = anchored.Match(input, position);
                if (match.Success)
                    return match;
            }
        }
        return System.Text.RegularExpressions.Match.Empty;
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
