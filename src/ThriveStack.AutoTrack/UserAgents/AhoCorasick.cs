namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Aho-Corasick over lower-cased text, compiled to a deterministic automaton: one pass over the input, one table lookup
/// per character, finds every pattern it contains. Each pattern carries an id (several patterns may share one, and one
/// string may be given under several ids); a scan sets the bit of every id found and records where its first
/// occurrence ends. The alphabet is folded to the characters the patterns use (any other character only leads back to
/// the start), which keeps the table to a few hundred kilobytes.
/// </summary>
internal sealed class AhoCorasick
{
    private readonly byte[] _asciiClass = new byte[128];           // character class of each ASCII character, lower-cased
    private readonly Dictionary<char, int> _otherClass = [];        // the same for the few non-ASCII pattern characters
    private readonly int _classes;
    private readonly int[] _next;                                   // state * _classes + class -> next state
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

        // The trie.
        var children = new List<Dictionary<int, int>> { new() };
        var ids = new List<List<int>?> { null };
        foreach (var (pattern, id) in patterns)
        {
            var state = 0;
            foreach (var raw in pattern)
            {
                var cls = classOf[char.ToLowerInvariant(raw)];
                if (!children[state].TryGetValue(cls, out var child))
                {
                    child = children.Count;
                    children[state][cls] = child;
                    children.Add([]);
                    ids.Add(null);
                }
                state = child;
            }
            (ids[state] ??= []).Add(id);
        }

        // Breadth first: each state's failure link, its full transition row, and its outputs with those of its suffixes.
        var count = children.Count;
        _next = new int[count * _classes];
        _outputs = new int[]?[count];
        var fail = new int[count];
        var queue = new Queue<int>();
        foreach (var (cls, child) in children[0])
        {
            _next[cls] = child;
            queue.Enqueue(child);
        }
        _outputs[0] = ids[0]?.ToArray();
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            var f = fail[state];
            var own = ids[state];
            var inherited = _outputs[f];
            _outputs[state] = own is null ? inherited : [.. own.Union(inherited ?? [])];
            // Where the state has no child, it goes where its failure state goes (whose row is complete: it is shallower).
            Array.Copy(_next, f * _classes, _next, state * _classes, _classes);
            foreach (var (cls, child) in children[state])
            {
                fail[child] = _next[f * _classes + cls];
                _next[state * _classes + cls] = child;
                queue.Enqueue(child);
            }
        }
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
    public long TableBytes => (long)_next.Length * sizeof(int);

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
