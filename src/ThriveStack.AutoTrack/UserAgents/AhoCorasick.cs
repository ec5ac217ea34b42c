namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Aho-Corasick over lower-cased text, compiled to a deterministic automaton: one pass over the input, one table lookup
/// per character, finds every pattern it contains. Each pattern carries an id (several patterns may share one, and one
/// string may be given under several ids); a scan sets the bit of every id found and records where its first
/// occurrence ends. The alphabet is folded to the characters the patterns use (any other character only leads back to
/// the start), which, with 16-bit states, keeps the table to about a megabyte.
/// </summary>
internal sealed class AhoCorasick
{
    private readonly byte[] _asciiClass = new byte[128];           // character class of each ASCII character, lower-cased
    private readonly Dictionary<char, int> _otherClass = [];        // the same for the few non-ASCII pattern characters
    private readonly int _classes;
    private readonly ushort[] _next;                                // state * _classes + class -> next state
    private readonly int[]?[] _outputs;                             // ids of every pattern ending at a state (suffixes included)

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

        // The trie, straight into the transition table: its size is known before it is built (sorted, the patterns share
        // their common prefixes' states), so the table is allocated once and no per-state dictionaries are made.
        var lowered = new string[patterns.Count];
        for (var p = 0; p < lowered.Length; p++)
            lowered[p] = string.Create(patterns[p].Pattern.Length, patterns[p].Pattern, static (span, pattern) =>
            {
                for (var i = 0; i < span.Length; i++)
                    span[i] = char.ToLowerInvariant(pattern[i]); // char by char, as the alphabet and the scan fold
            });
        var count = CountStates(lowered);
        if (count > ushort.MaxValue)
            throw new InvalidOperationException($"The automaton needs {count} states, more than its 16-bit table holds.");
        _next = new ushort[count * _classes];
        var ids = new List<int>?[count];
        var states = 1;
        for (var p = 0; p < lowered.Length; p++)
        {
            var state = 0;
            foreach (var c in lowered[p])
            {
                ref var child = ref _next[state * _classes + classOf[c]];
                if (child == 0) // the root is nobody's child: 0 means "no child yet"
                    child = (ushort)states++;
                state = child;
            }
            (ids[state] ??= []).Add(patterns[p].Id);
        }

        // Breadth first: each state's failure link, its full transition row, and its outputs with those of its suffixes.
        // A row holds only the state's children until its turn; the missing entries then take its failure state's
        // (whose row is complete: it is shallower).
        _outputs = new int[]?[count];
        var fail = new int[count];
        var queue = new int[count];
        int head = 0, tail = 0;
        for (var cls = 0; cls < _classes; cls++)
        {
            if (_next[cls] != 0)
                queue[tail++] = _next[cls];
        }
        _outputs[0] = ids[0]?.ToArray();
        while (head < tail)
        {
            var state = queue[head++];
            var f = fail[state];
            var own = ids[state];
            var inherited = _outputs[f];
            _outputs[state] = own is null ? inherited : Merge(own, inherited);
            var row = state * _classes;
            var failRow = f * _classes;
            for (var cls = 0; cls < _classes; cls++)
            {
                var child = _next[row + cls];
                if (child == 0)
                {
                    _next[row + cls] = _next[failRow + cls];
                    continue;
                }
                fail[child] = _next[failRow + cls];
                queue[tail++] = child;
            }
        }
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
    public long TableBytes => (long)_next.Length * sizeof(ushort);

    /// <summary>
    /// Sets the bit of every id with a pattern in <paramref name="text"/> (compared lower-cased), and for each id found
    /// the index just past its first occurrence in <paramref name="firstEnd"/> (read it only where the bit is set).
    /// </summary>
    public void Scan(ReadOnlySpan<char> text, Span<ulong> found, Span<int> firstEnd)
    {
        var next = _next;
        var classes = _classes;
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int cls = c < 128 ? _asciiClass[c] : OtherClass(c);
            state = next[state * classes + cls];
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
