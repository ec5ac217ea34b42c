using System.Runtime.CompilerServices;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Aho-Corasick over lower-cased text: one pass over the input finds every pattern it contains. Each pattern carries an
/// id (several patterns may share one, and one string may be given under several ids); a scan sets the bit of every id
/// found and records where its first occurrence ends. The alphabet is folded to the characters the patterns use (any
/// other character only leads back to the start).
/// </summary>
/// <remarks>
/// The trie's edges are stored the way a double-array trie stores them: each state's children overlaid on the others' in
/// one array, at an offset of its own, tagged with the state they belong to; a character with no child there follows the
/// state's failure link, as the textbook automaton does. For uap-core's rules that is about 100 KB, against the 1.08 MB of
/// a full state-by-character table (9,867 states by 56 characters, which this replaced): a table held for the life of
/// every app, against a few more lookups per character in a parse that runs once per distinct user agent.
/// </remarks>
internal sealed partial class AhoCorasick
{
    private readonly byte[] _asciiClass = new byte[128];    // character class of each ASCII character, lower-cased
    private readonly Dictionary<char, int> _otherClass = []; // the same for the few non-ASCII pattern characters
    private readonly int _classes;
    private readonly ushort[] _rootRow;                      // class -> the root's child, or the root itself (0)
    private readonly int[] _base;                            // state -> where its children start in _packed (plus the class)
    private readonly uint[] _packed;                         // (state + 1) << 16 | child, for every state but the root
    private readonly ushort[] _fail;                         // state -> its failure state: the longest proper suffix in the trie
    private readonly int[]?[] _outputs;                      // ids of every pattern ending at a state (suffixes included)

    public AhoCorasick(IReadOnlyList<(string Pattern, int Id)> patterns)
    {
        // The alphabet: class 0 is "no pattern has this character".
        var classOf = new Dictionary<char, int>();
        foreach (var (pattern, _) in patterns)
        {
            foreach (var raw in pattern)
            {
                var c = char.ToLowerInvariant(raw);
                if (!classOf.ContainsKey(c))
                    classOf[c] = classOf.Count + 1;
            }
        }
        _classes = classOf.Count + 1;
        if (_classes > byte.MaxValue)
            throw new InvalidOperationException("Too many distinct pattern characters for the automaton's alphabet.");
        for (var c = 0; c < 128; c++)
            _asciiClass[c] = (byte)classOf.GetValueOrDefault(char.ToLowerInvariant((char)c));
        foreach (var (c, cls) in classOf)
        {
            if (c >= 128)
                _otherClass[c] = cls;
        }

        // The trie: its size is known before it is built (sorted, the patterns share their common prefixes' states). Its
        // edges are kept as (state * classes + class, child), in that order, which is also how the table stores them.
        var lowered = new string[patterns.Count];
        for (var p = 0; p < lowered.Length; p++)
            lowered[p] = string.Create(patterns[p].Pattern.Length, patterns[p].Pattern, static (span, pattern) =>
            {
                for (var i = 0; i < span.Length; i++)
                    span[i] = char.ToLowerInvariant(pattern[i]); // char by char, as the alphabet and the scan fold
            });
        var count = CountStates(lowered);
        if (count >= ushort.MaxValue)
            throw new InvalidOperationException($"The automaton needs {count} states, more than its 16-bit table holds.");
        var children = new Dictionary<int, ushort>();
        var ids = new List<int>?[count];
        var states = 1;
        for (var p = 0; p < lowered.Length; p++)
        {
            var state = 0;
            foreach (var c in lowered[p])
            {
                var entry = state * _classes + classOf[c];
                if (!children.TryGetValue(entry, out var child))
                    children[entry] = child = (ushort)states++;
                state = child;
            }
            (ids[state] ??= []).Add(patterns[p].Id);
        }
        var edges = children.OrderBy(edge => edge.Key).ToArray();

        (_rootRow, _base, _packed, _fail, var order) = Build([.. edges.Select(e => e.Key)], [.. edges.Select(e => e.Value)], _classes, count);
        _outputs = new int[]?[count];
        _outputs[0] = ids[0]?.ToArray();
        foreach (var state in order)
        {
            var own = ids[state];
            var inherited = _outputs[_fail[state]];
            _outputs[state] = own is null ? inherited : Merge(own, inherited);
        }
    }

    private AhoCorasick(byte[] asciiClass, Dictionary<char, int> otherClass, int classes, (ushort[] RootRow, int[] Base, uint[] Packed, ushort[] Fail) table, int[]?[] outputs)
    {
        _asciiClass = asciiClass;
        _otherClass = otherClass;
        _classes = classes;
        (_rootRow, _base, _packed, _fail) = table;
        _outputs = outputs;
    }

    /// <summary>The state after <paramref name="state"/> on a character of class <paramref name="cls"/>: its child there, else its failure state's, down to the root's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into Scan's loop: a method with a loop is not inlined otherwise
    private static int Next(ushort[] rootRow, int[] bases, uint[] packed, ushort[] fail, int state, int cls)
    {
        while (state != 0)
        {
            var slot = packed[bases[state] + cls];
            if (slot >> 16 == (uint)state + 1)
                return (int)(slot & 0xFFFF);
            state = fail[state];
        }
        return rootRow[cls];
    }

    /// <summary>A state's own ids and those of its suffixes, each once; allocates only the result (no set, as LINQ's Union would make per state).</summary>
    private static int[] Merge(List<int> own, int[]? inherited)
    {
        var merged = new int[own.Count + (inherited?.Length ?? 0)];
        var count = 0;
        foreach (var id in own)
        {
            if (Array.IndexOf(merged, id, 0, count) < 0)
                merged[count++] = id;
        }
        foreach (var id in inherited ?? [])
        {
            if (Array.IndexOf(merged, id, 0, count) < 0)
                merged[count++] = id;
        }
        return count == merged.Length ? merged : merged[..count];
    }

    /// <summary>The states of the trie of <paramref name="patterns"/>: the root and one per distinct non-empty prefix.</summary>
    private static int CountStates(string[] patterns)
    {
        var sorted = (string[])patterns.Clone();
        Array.Sort(sorted, StringComparer.Ordinal);
        var count = 1;
        for (var i = 0; i < sorted.Length; i++)
        {
            var shared = i == 0 ? 0 : sorted[i].AsSpan().CommonPrefixLength(sorted[i - 1]);
            count += sorted[i].Length - shared;
        }
        return count;
    }

    // Outside ASCII: case-folded first, at least as far as case-insensitive rules fold (the Kelvin sign is a 'k'); folding
    // more than they do only makes a rule a candidate that then does not match.
    private int OtherClass(char c)
    {
        var lower = char.ToLowerInvariant(char.ToUpperInvariant(c));
        return lower < 128 ? _asciiClass[lower] : _otherClass.GetValueOrDefault(lower);
    }

    public int StateCount => _outputs.Length;

    /// <summary>Bytes held by the transition table.</summary>
    public long TableBytes => (long)(_rootRow.Length + _fail.Length) * sizeof(ushort) + (long)_base.Length * sizeof(int) + (long)_packed.Length * sizeof(uint);

    /// <summary>
    /// Sets the bit of every id with a pattern in <paramref name="text"/> (compared lower-cased), and for each id found
    /// the index just past its first occurrence in <paramref name="firstEnd"/> (read it only where the bit is set).
    /// </summary>
    public void Scan(ReadOnlySpan<char> text, Span<ulong> found, Span<int> firstEnd)
    {
        var (rootRow, bases, packed, fail) = (_rootRow, _base, _packed, _fail);
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int cls = c < 128 ? _asciiClass[c] : OtherClass(c);
            state = Next(rootRow, bases, packed, fail, state, cls);
            if (_outputs[state] is { } outputs)
            {
                foreach (var id in outputs)
                {
                    ref var word = ref found[id >> 6];
                    var bit = 1UL << (id & 63);
                    if ((word & bit) == 0)
                    {
                        word |= bit;
                        firstEnd[id] = i + 1;
                    }
                }
            }
        }
    }
}
