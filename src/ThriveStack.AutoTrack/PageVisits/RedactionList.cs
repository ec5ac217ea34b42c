using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// <see cref="PrivacyOptions.RedactedQueryParameters"/> as a frozen, case-insensitive set that can be searched with a span,
/// built once per options instance (options reloads create new instances).
/// </summary>
internal static class RedactionList
{
    private static readonly ConditionalWeakTable<PrivacyOptions, Lookup> Cache = [];

    public static Lookup For(PrivacyOptions privacy) => Cache.GetValue(privacy, static p => new Lookup(p.RedactedQueryParameters));

    internal sealed class Lookup(IEnumerable<string> names)
    {
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _names =
            names.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

        public bool Contains(ReadOnlySpan<char> name) => _names.Contains(name);
    }
}
