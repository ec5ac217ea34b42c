namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Aho-Corasick over lower-cased text: one pass over the input finds every pattern it contains and sets the bits of the
/// clauses and rules those patterns belong to. Children are sorted arrays searched by binary search, so the automaton stays small
/// (user agents are short; a dense table per node would cost megabytes).
/// </summary>
internal sealed class AhoCorasick
{
    private readonly char[][] _childKeys;
    private readonly int[][] _childNodes;
    private readonly int[] _fail;
    private readonly int[] _dictionaryLink; // next node on the fail chain that has outputs, or -1
    private readonly int[][] _outputs;      // (clause, rule) pairs, flattened, whose pattern ends exactly here

    public AhoCorasick(IReadOnlyList<(string Pattern, int Clause, int Rule)> patterns)
    {
        var keys = new List<List<char>> { new() };
        var nodes = new List<List<int>> { new() };
        var outputs = new List<List<int>> { new() };
        foreach (var (pattern, clause, rule) in patterns)
        {
            var node = 0;
            foreach (var raw in pattern)
            {
                var c = char.ToLowerInvariant(raw);
                var index = keys[node].IndexOf(c);
                if (index < 0)
                {
                    keys[node].Add(c);
                    nodes[node].Add(keys.Count);
                    keys.Add([]);
                    nodes.Add([]);
                    outputs.Add([]);
                    index = keys[node].Count - 1;
                }
                node = nodes[node][index];
            }
            outputs[node].Add(clause);
            outputs[node].Add(rule);
        }

        var count = keys.Count;
        _childKeys = new char[count][];
        _childNodes = new int[count][];
        _outputs = new int[count][];
        for (var n = 0; n < count; n++)
        {
            var order = Enumerable.Range(0, keys[n].Count).OrderBy(k => keys[n][k]).ToArray();
            _childKeys[n] = [.. order.Select(k => keys[n][k])];
            _childNodes[n] = [.. order.Select(k => nodes[n][k])];
            _outputs[n] = [.. outputs[n]];
        }

        _fail = new int[count];
        _dictionaryLink = new int[count];
        _dictionaryLink[0] = -1;
        var queue = new Queue<int>();
        foreach (var child in _childNodes[0])
        {
            _fail[child] = 0;
            _dictionaryLink[child] = -1;
            queue.Enqueue(child);
        }
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            for (var k = 0; k < _childKeys[node].Length; k++)
            {
                var c = _childKeys[node][k];
                var child = _childNodes[node][k];
                var f = _fail[node];
                int next;
                while ((next = Child(f, c)) < 0 && f != 0)
                    f = _fail[f];
                _fail[child] = next >= 0 && next != child ? next : 0;
                var link = _fail[child];
                _dictionaryLink[child] = _outputs[link].Length > 0 ? link : _dictionaryLink[link];
                queue.Enqueue(child);
            }
        }
    }

    public int NodeCount => _fail.Length;

    /// <summary>Sets the bit of every clause, and of its rule, with a pattern in <paramref name="text"/> (compared lower-cased).</summary>
    public void Scan(ReadOnlySpan<char> text, Span<ulong> clauses, Span<ulong> rules)
    {
        var node = 0;
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            int next;
            while ((next = Child(node, c)) < 0 && node != 0)
                node = _fail[node];
            node = next < 0 ? 0 : next;
            for (var hit = _outputs[node].Length > 0 ? node : _dictionaryLink[node]; hit >= 0; hit = _dictionaryLink[hit])
            {
                var outputs = _outputs[hit];
                for (var k = 0; k < outputs.Length; k += 2)
                {
                    clauses[outputs[k] >> 6] |= 1UL << (outputs[k] & 63);
                    rules[outputs[k + 1] >> 6] |= 1UL << (outputs[k + 1] & 63);
                }
            }
        }
    }

    private int Child(int node, char c)
    {
        // Most nodes have one or two children: a linear scan beats a search; the few wide ones get a binary search.
        var keys = _childKeys[node];
        if (keys.Length <= 8)
        {
            for (var k = 0; k < keys.Length; k++)
            {
                if (keys[k] == c)
                    return _childNodes[node][k];
                if (keys[k] > c)
                    return -1;
            }
            return -1;
        }
        int low = 0, high = keys.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var key = keys[mid];
            if (key == c)
                return _childNodes[node][mid];
            if (key < c)
                low = mid + 1;
            else
                high = mid - 1;
        }
        return -1;
    }
}
