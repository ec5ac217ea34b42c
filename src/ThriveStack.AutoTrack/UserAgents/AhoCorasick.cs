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

        // Breadth first (Complete): each state's failure link and full transition row; then its outputs with those of
        // its suffixes, in the same order, so a failure state's are ready (it is shallower).
        var (order, fail) = Complete(_next, _classes, count);
        _outputs = new int[]?[count];
        _outputs[0] = ids[0]?.ToArray();
        foreach (var state in order)
        {
            var own = ids[state];
            var inherited = _outputs[fail[state]];
            _outputs[state] = own is null ? inherited : Merge(own, inherited);
        }
    }

    /// <summary>
    /// Turns a trie (each row holding only its state's children, 0 for none: the root is nobody's child) into the
    /// automaton's full table, breadth first: a state's missing entries take those of its failure state, whose row is
    /// already complete (it is shallower). Returns the states in that order (the root excluded) and their failure links.
    /// </summary>
    private static (int[] Order, int[] Fail) Complete(ushort[] next, int classes, int count)
    {
        var fail = new int[count];
        var queue = new int[count - 1];
        int head = 0, tail = 0;
        for (var cls = 0; cls < classes; cls++)
        {
            if (next[cls] != 0)
                queue[tail++] = next[cls];
        }
        while (head < tail)
        {
            var state = queue[head++];
            var row = state * classes;
            var failRow = fail[state] * classes;
            for (var cls = 0; cls < classes; cls++)
            {
                var child = next[row + cls];
                if (child == 0)
                {
                    next[row + cls] = next[failRow + cls];
                    continue;
                }
                fail[child] = next[failRow + cls];
                queue[tail++] = child;
            }
        }
        return (queue, fail);
    }

    private AhoCorasick(byte[] asciiClass, Dictionary<char, int> otherClass, int classes, ushort[] next, int[]?[] outputs)
    {
        _asciiClass = asciiClass;
        _otherClass = otherClass;
        _classes = classes;
        _next = next;
        _outputs = outputs;
    }

    /// <summary>Writes what <see cref="ReadFrom"/> reads back (the compiled rule table).</summary>
    public void WriteTo(BinaryWriter writer)
    {
        writer.Write(_asciiClass);
        writer.Write(_otherClass.Count);
        foreach (var (c, cls) in _otherClass.OrderBy(pair => pair.Key))
        {
            writer.Write((ushort)c);
            writer.Write(cls);
        }
        writer.Write(_classes);
        writer.Write(_outputs.Length);
        // The trie's edges only (the rest of the table is derived from them on reading, by Complete): a transition is a
        // trie edge when it leads one character deeper, the depth being the shortest path from the root (a filled-in
        // transition leads to the longest suffix of the state's string plus the character that is a trie state: never
        // deeper than the state itself).
        var depth = Depths();
        var edges = 0;
        for (var i = 0; i < _next.Length; i++)
            edges += _next[i] != 0 && depth[_next[i]] == depth[i / _classes] + 1 ? 1 : 0;
        writer.Write(edges);
        for (var i = 0; i < _next.Length; i++)
        {
            if (_next[i] != 0 && depth[_next[i]] == depth[i / _classes] + 1)
            {
                writer.Write(i);
                writer.Write(_next[i]);
            }
        }
        // A state without ids of its own shares its failure state's outputs: the same array, stored once.
        var distinct = new List<int[]>();
        var indexOf = new Dictionary<int[], int>(ReferenceEqualityComparer.Instance);
        var stateOutputs = new int[_outputs.Length];
        for (var state = 0; state < _outputs.Length; state++)
        {
            if (_outputs[state] is not { } outputs)
            {
                stateOutputs[state] = -1;
                continue;
            }
            if (!indexOf.TryGetValue(outputs, out var index))
            {
                index = indexOf[outputs] = distinct.Count;
                distinct.Add(outputs);
            }
            stateOutputs[state] = index;
        }
        writer.Write(distinct.Count);
        foreach (var outputs in distinct)
            writer.WriteInts(outputs);
        writer.WriteInts(stateOutputs);
    }

    public static AhoCorasick ReadFrom(BinaryReader reader)
    {
        var asciiClass = reader.ReadBytes(128);
        var otherClass = new Dictionary<char, int>();
        for (var others = reader.ReadInt32(); others > 0; others--)
        {
            var c = (char)reader.ReadUInt16();
            otherClass[c] = reader.ReadInt32();
        }
        var classes = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (classes is < 1 or > byte.MaxValue || count is < 1 or > ushort.MaxValue)
            throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
        var next = new ushort[count * classes];
        for (var edges = reader.ReadInt32(); edges > 0; edges--)
        {
            var entry = reader.ReadInt32();
            var child = reader.ReadUInt16();
            if ((uint)entry >= (uint)next.Length || child == 0 || child >= count)
                throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
            next[entry] = child;
        }
        Complete(next, classes, count);
        var distinct = new int[reader.ReadInt32()][];
        for (var i = 0; i < distinct.Length; i++)
            distinct[i] = reader.ReadInts();
        var stateOutputs = reader.ReadInts();
        if (asciiClass.Length != 128 || stateOutputs.Length != count)
            throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
        var outputs = new int[]?[stateOutputs.Length];
        for (var state = 0; state < outputs.Length; state++)
            outputs[state] = stateOutputs[state] < 0 ? null : distinct[stateOutputs[state]];
        return new AhoCorasick(asciiClass, otherClass, classes, next, outputs);
    }

    /// <summary>Each state's depth in the trie: its shortest distance from the root.</summary>
    private int[] Depths()
    {
        var depth = new int[_outputs.Length];
        Array.Fill(depth, -1);
        depth[0] = 0;
        var queue = new Queue<int>([0]);
        while (queue.TryDequeue(out var state))
        {
            for (var cls = 0; cls < _classes; cls++)
            {
                var target = _next[state * _classes + cls];
                if (depth[target] < 0)
                {
                    depth[target] = depth[state] + 1;
                    queue.Enqueue(target);
                }
            }
        }
        return depth;
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
