namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>The automaton's tables, packed from its trie's edges: on building from patterns and on reading the compiled table alike.</summary>
internal sealed partial class AhoCorasick
{
    /// <summary>
    /// The automaton from its trie's edges (<paramref name="entries"/>: state * classes + class, <paramref name="children"/>:
    /// the child; the root is nobody's child): the edges packed, then breadth first each state's failure link (found
    /// through its parent's, which is shallower and so already known). Returns the tables and the states in that order
    /// (the root excluded).
    /// </summary>
    private static (ushort[] RootRow, int[] Base, uint[] Packed, ushort[] Fail, int[] Order) Build(int[] entries, ushort[] children, int classes, int count)
    {
        // Each state's children, grouped by state (counting sort on the entries' states), each child with one parent.
        var childStart = new int[count + 1];
        var hasParent = new bool[count];
        for (var e = 0; e < entries.Length; e++)
        {
            if ((uint)entries[e] >= (uint)(count * classes) || children[e] == 0 || children[e] >= count || hasParent[children[e]])
                throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
            hasParent[children[e]] = true;
            childStart[entries[e] / classes + 1]++;
        }
        for (var state = 0; state < count; state++)
            childStart[state + 1] += childStart[state];
        var childClass = new byte[entries.Length];
        var childState = new ushort[entries.Length];
        var fill = childStart[..count];
        for (var e = 0; e < entries.Length; e++)
        {
            var at = fill[entries[e] / classes]++;
            childClass[at] = (byte)(entries[e] % classes);
            childState[at] = children[e];
        }

        var rootRow = new ushort[classes];
        for (var c = childStart[0]; c < childStart[1]; c++)
            rootRow[childClass[c]] = childState[c];

        // First fit, the states with the most children first: each at the lowest offset where its classes' slots are free.
        var packing = new int[count - 1];
        for (var p = 0; p < packing.Length; p++)
            packing[p] = p + 1;
        Array.Sort(packing, (a, b) => (childStart[b + 1] - childStart[b]).CompareTo(childStart[a + 1] - childStart[a]) is var byCount and not 0 ? byCount : a.CompareTo(b));
        var bases = new int[count];
        var packed = new uint[entries.Length + 2 * classes]; // grown if the gaps between states need more
        var free = new FreeSlots(packed.Length);
        var length = classes;
        foreach (var state in packing)
        {
            int from = childStart[state], to = childStart[state + 1];
            if (from == to)
                continue; // a leaf: base 0, where no slot is tagged with it
            int first = childClass[from], offset;
            for (var slot = free.Find(first); ; slot = free.Find(slot + 1))
            {
                offset = slot - first; // the first child's slot is free: are the others'?
                if (Fits(packed, offset, childClass, from + 1, to))
                    break;
            }
            if (offset + classes > packed.Length)
            {
                Array.Resize(ref packed, Math.Max(packed.Length * 2, offset + classes));
                free.Grow(packed.Length);
            }
            bases[state] = offset;
            for (var c = from; c < to; c++)
            {
                packed[offset + childClass[c]] = (uint)(state + 1) << 16 | childState[c];
                free.Take(offset + childClass[c]);
            }
            length = Math.Max(length, offset + classes);
        }
        packed = packed[..length];

        // Breadth first: a child's failure state is where its parent's failure state goes on the child's character.
        var fail = new ushort[count];
        var order = new int[count - 1];
        int head = 0, tail = 0;
        for (var c = childStart[0]; c < childStart[1]; c++)
            order[tail++] = childState[c];
        while (head < tail)
        {
            var state = order[head++];
            for (var c = childStart[state]; c < childStart[state + 1]; c++)
            {
                if (tail == order.Length)
                    throw new InvalidDataException("The user-agent rule table's automaton is damaged.");
                fail[childState[c]] = (ushort)Next(rootRow, bases, packed, fail, fail[state], childClass[c]);
                order[tail++] = childState[c];
            }
        }
        if (tail != order.Length)
            throw new InvalidDataException("The user-agent rule table's automaton is damaged."); // a state no edge reaches from the root
        return (rootRow, bases, packed, fail, order);
    }

    /// <summary>
    /// The packing's free slots: the first free slot at or after any index, in near-constant time (each taken slot
    /// points past itself, and a search shortens the chains it walks). Past the end, every slot is free.
    /// </summary>
    private sealed class FreeSlots(int capacity)
    {
        private int[] _next = Identity(0, capacity + 1);

        public int Find(int index)
        {
            if (index >= _next.Length)
                return index;
            while (_next[index] != index)
            {
                var after = _next[index];
                if (after >= _next.Length)
                    return after;
                _next[index] = _next[after]; // halve the chain
                index = after;
            }
            return index;
        }

        public void Take(int index) => _next[index] = index + 1;

        public void Grow(int capacity)
        {
            var grown = Identity(_next.Length, capacity + 1);
            _next.CopyTo(grown, 0);
            _next = grown;
        }

        private static int[] Identity(int from, int length)
        {
            var next = new int[length];
            for (var i = from; i < length; i++)
                next[i] = i;
            return next;
        }
    }

    /// <summary>True when the slots of a state's children at <paramref name="offset"/> are free (past the end, they are).</summary>
    private static bool Fits(uint[] packed, int offset, byte[] classes, int from, int to)
    {
        for (var c = from; c < to; c++)
        {
            var slot = offset + classes[c];
            if (slot < packed.Length && packed[slot] != 0)
                return false;
        }
        return true;
    }
}
