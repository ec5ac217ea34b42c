using System.Buffers;
using System.Text;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Where a match of one of uap-core's big alternations (a hundred or more bot names, say) can start. A backtracking
/// engine tries every branch at every position of the input; but every match contains one of the alternation's
/// literals, beginning at most that literal's lead after the match's start, so the match can only start in the few
/// windows before the literals' occurrences. The rule's regex is then anchored (<c>\G</c>) and tried at those positions
/// only, in order: the first success is the leftmost match, the one the unanchored search would have found.
/// </summary>
internal sealed class StartPositions
{
    private const int MinimumLiterals = 16; // smaller alternations are cheap enough as they are
    private const int MaximumLead = 256;

    private readonly (string[] Literals, int Lead)[] _literals; // what the table stores
    private readonly (SearchValues<string> Literals, int Lead)[] _groups;
    private readonly bool _ignoreCase;

    private StartPositions((string[] Literals, int Lead)[] literals, bool ignoreCase)
    {
        _literals = literals;
        _groups = [.. literals.Select(g => (SearchValues.Create(g.Literals, StringComparison.OrdinalIgnoreCase), g.Lead))];
        _ignoreCase = ignoreCase;
    }

    /// <summary>The start positions of a rule, or null when it has no alternation big enough to gain from them (or is anchored at the start).</summary>
    public static StartPositions? For(string pattern, bool ignoreCase, IReadOnlyList<RegexLiterals.Clause> clauses)
    {
        if (pattern.StartsWith('^'))
            return null; // the engine already tries one position only
        var clause = clauses
            .Where(c => c.AnyOf.Count >= MinimumLiterals && c.Lead <= MaximumLead)
            .MaxBy(c => c.AnyOf.Count);
        if (clause is null)
            return null;
        var groups = clause.AnyOf
            .Select((literal, k) => (Literal: literal, Lead: clause.Leads[k]))
            .GroupBy(x => x.Lead)
            .Select(g => (g.Select(x => x.Literal).ToArray(), g.Key))
            .ToArray();
        return new StartPositions(groups, ignoreCase);
    }

    /// <summary>Writes what <see cref="ReadFrom"/> reads back (the compiled rule table).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_ignoreCase);
        writer.Write(_literals.Length);
        foreach (var (literals, lead) in _literals)
        {
            writer.Write(lead);
            writer.WriteStrings(literals);
        }
    }

    public static StartPositions ReadFrom(BinaryReader reader)
    {
        var ignoreCase = reader.ReadBoolean();
        var groups = new (string[], int)[reader.ReadInt32()];
        for (var g = 0; g < groups.Length; g++)
        {
            var lead = reader.ReadInt32();
            groups[g] = (reader.ReadStrings(), lead);
        }
        return new StartPositions(groups, ignoreCase);
    }

    /// <summary>Sets the bit of every position from <paramref name="startAt"/> to <paramref name="limit"/> where a match can start.</summary>
    public void Mark(string input, int startAt, int limit, Span<ulong> positions)
    {
        if (_ignoreCase && !Ascii.IsValid(input))
        {
            // Case-insensitive regexes fold a few non-ASCII letters (the Kelvin sign is a 'k') that an ordinal
            // case-insensitive search does not: every position is possible.
            Mark(startAt, limit, positions);
            return;
        }
        var text = input.AsSpan();
        foreach (var (literals, lead) in _groups)
        {
            var from = startAt;
            while (from <= limit + lead && from < text.Length)
            {
                var index = text[from..].IndexOfAny(literals);
                if (index < 0)
                    break;
                index += from;
                Mark(Math.Max(startAt, index - lead), Math.Min(index, limit), positions);
                from = index + 1;
            }
        }
    }

    private static void Mark(int from, int to, Span<ulong> positions)
    {
        for (var position = from; position <= to; position++)
            positions[position >> 6] |= 1UL << (position & 63);
    }
}
