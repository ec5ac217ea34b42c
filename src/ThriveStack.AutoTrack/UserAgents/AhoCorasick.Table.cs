namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>The automaton in the compiled rule table: its alphabet, its trie's edges and its outputs.</summary>
internal sealed partial class AhoCorasick
{
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
        // The trie's edges, by state and class (the failure links are derived from them on reading, by Build).
        var edges = new List<(int Entry, ushort Child)>();
        for (var state = 0; state < _outputs.Length; state++)
        {
            for (var cls = 0; cls < _classes; cls++)
            {
                var child = state == 0 ? _rootRow[cls] : _packed[_base[state] + cls] is var slot && slot >> 16 == (uint)state + 1 ? (int)(slot & 0xFFFF) : 0;
                if (child != 0)
                    edges.Add((state * _classes + cls, (ushort)child));
            }
        }
        writer.Write(edges.Count);
        foreach (var (entry, child) in edges)
        {
            writer.Write(entry);
            writer.Write(child);
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
        if (classes is < 1 or > byte.MaxValue || count is < 1 or >= ushort.MaxValue)
            throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
        var edgeCount = reader.ReadInt32();
        if (edgeCount != count - 1) // a trie: every state but the root is one edge's child
            throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
        var entries = new int[edgeCount];
        var children = new ushort[edgeCount];
        for (var e = 0; e < edgeCount; e++)
        {
            entries[e] = reader.ReadInt32();
            children[e] = reader.ReadUInt16();
        }
        var (rootRow, bases, packed, fail, _) = Build(entries, children, classes, count);
        var distinct = new int[reader.ReadInt32()][];
        for (var i = 0; i < distinct.Length; i++)
            distinct[i] = reader.ReadInts();
        var stateOutputs = reader.ReadInts();
        if (asciiClass.Length != 128 || stateOutputs.Length != count)
            throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
        var outputs = new int[]?[stateOutputs.Length];
        for (var state = 0; state < outputs.Length; state++)
            outputs[state] = stateOutputs[state] < 0 ? null : distinct[stateOutputs[state]];
        return new AhoCorasick(asciiClass, otherClass, classes, (rootRow, bases, packed, fail), outputs);
    }
}
