namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The uap-core rules of the three sections, numbered in one sequence (user agent, then OS, then device), and the
/// prefilter. Every rule's required clauses (<see cref="RegexLiterals"/>) are numbered once across all rules (the same
/// literal set is one clause, however many rules need it), and one Aho-Corasick automaton holds their literals. A scan
/// marks the clauses the input satisfies; a rule is a candidate when its most selective clause (its anchor) is marked,
/// and runs only if all its clauses are. Rules with no clause always run. The scan also tells how early each clause
/// first occurs, which, with the clause's lead, bounds how early the rule's match can start (<see cref="StartBound"/>).
/// </summary>
internal sealed partial class UapRuleSet
{
    /// <summary>The compiled table (<see cref="Compile"/>, written by <see cref="WriteTo"/>), embedded in the library.</summary>
    public const string ResourceName = "ThriveStack.AutoTrack.UserAgents.regexes.table";

    /// <summary>The table format's first bytes: "UAPT" and a version, raised with every change to the format.</summary>
    private const uint Magic = 0x54504155;
    private const int FormatVersion = 1;

    private readonly int[][] _anchored;      // per clause: the rules it anchors
    private readonly int[] _ruleClauseStart; // rule i's clauses are _ruleClauses[_ruleClauseStart[i] .. _ruleClauseStart[i + 1]]
    private readonly int[] _ruleClauses;
    private readonly int[] _reach;           // per entry of _ruleClauses: lead + longest literal, or Unbounded

    private UapRuleSet(UapRule[] rules, int osStart, int deviceStart, AhoCorasick automaton, ulong[] alwaysRun, int clauseCount,
        int[][] anchored, int[] ruleClauseStart, int[] ruleClauses, int[] reach)
    {
        Rules = rules;
        OsStart = osStart;
        DeviceStart = deviceStart;
        Automaton = automaton;
        AlwaysRun = alwaysRun;
        ClauseCount = clauseCount;
        ClauseWords = (clauseCount + 63) / 64;
        _anchored = anchored;
        _ruleClauseStart = ruleClauseStart;
        _ruleClauses = ruleClauses;
        _reach = reach;
    }

    public UapRule[] Rules { get; }

    public int OsStart { get; }

    public int DeviceStart { get; }

    public AhoCorasick Automaton { get; }

    /// <summary>Bits of the rules without a required literal.</summary>
    public ulong[] AlwaysRun { get; }

    public int Words => AlwaysRun.Length;

    public int ClauseCount { get; }

    public int ClauseWords { get; }

    /// <summary>
    /// One scan of <paramref name="text"/>: sets the clauses it satisfies (and where each first occurs) and the rules that
    /// may match: every rule without clauses, and every rule whose anchor clause was seen (<see cref="AllClausesSeen"/>
    /// then checks the others).
    /// </summary>
    public void Select(ReadOnlySpan<char> text, Span<ulong> candidates, Span<ulong> clauses, Span<int> firstEnd)
    {
        AlwaysRun.CopyTo(candidates);
        clauses.Clear();
        Automaton.Scan(text, clauses, firstEnd);
        for (var word = 0; word < clauses.Length; word++)
        {
            var bits = clauses[word];
            while (bits != 0)
            {
                var clause = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                foreach (var rule in _anchored[clause])
                    candidates[rule >> 6] |= 1UL << (rule & 63);
            }
        }
    }

    /// <summary>Whether rule <paramref name="rule"/> must run after <see cref="Select"/>.</summary>
    public bool IsCandidate(int rule, ReadOnlySpan<ulong> candidates, ReadOnlySpan<ulong> clauses)
        => (candidates[rule >> 6] & (1UL << (rule & 63))) != 0 && AllClausesSeen(rule, clauses);

    /// <summary>Whether every required clause of rule <paramref name="rule"/> was seen.</summary>
    public bool AllClausesSeen(int rule, ReadOnlySpan<ulong> clauses)
    {
        for (var k = _ruleClauseStart[rule]; k < _ruleClauseStart[rule + 1]; k++)
        {
            var c = _ruleClauses[k];
            if ((clauses[c >> 6] & (1UL << (c & 63))) == 0)
                return false;
        }
        return true;
    }

    /// <summary>
    /// The earliest position a match of rule <paramref name="rule"/> can start at, once all its clauses were seen: a
    /// clause's first occurrence ends at <c>e</c>, so every occurrence starts at or after <c>e</c> minus its longest
    /// literal, and the match at most the clause's lead before that.
    /// </summary>
    public int StartBound(int rule, ReadOnlySpan<int> firstEnd)
    {
        var bound = 0;
        for (var k = _ruleClauseStart[rule]; k < _ruleClauseStart[rule + 1]; k++)
        {
            if (_reach[k] != RegexLiterals.Unbounded)
                bound = Math.Max(bound, firstEnd[_ruleClauses[k]] - _reach[k]);
        }
        return bound;
    }

    /// <summary>
    /// Reads the compiled table embedded in the library: the rules as uap-core has them and the prefilter the compiler
    /// derived from them, so no regex is analyzed and no automaton is built at startup.
    /// </summary>
    public static UapRuleSet LoadEmbedded()
    {
        using var stream = typeof(UapRuleSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var rules = ReadFrom(stream);
        rules.Prime();
        return rules;
    }

    /// <summary>Reads a table written by <see cref="WriteTo"/>.</summary>
    public static UapRuleSet ReadFrom(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
            throw new InvalidDataException("The user-agent rule table is not in this version's format.");
        var rules = new UapRule[reader.ReadInt32()];
        for (var i = 0; i < rules.Length; i++)
            rules[i] = UapRule.ReadFrom(reader);
        var osStart = reader.ReadInt32();
        var deviceStart = reader.ReadInt32();
        var alwaysRun = reader.ReadULongs();
        var clauseCount = reader.ReadInt32();
        var anchored = new int[clauseCount][];
        for (var c = 0; c < clauseCount; c++)
            anchored[c] = reader.ReadInts();
        var ruleClauseStart = reader.ReadInts();
        var ruleClauses = reader.ReadInts();
        var reach = reader.ReadInts();
        var automaton = AhoCorasick.ReadFrom(reader);
        return new UapRuleSet(rules, osStart, deviceStart, automaton, alwaysRun, clauseCount, anchored, ruleClauseStart, ruleClauses, reach);
    }

    /// <summary>Writes the table <see cref="ReadFrom"/> reads.</summary>
    public void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Rules.Length);
        foreach (var rule in Rules)
            rule.WriteTo(writer);
        writer.Write(OsStart);
        writer.Write(DeviceStart);
        writer.WriteULongs(AlwaysRun);
        writer.Write(ClauseCount);
        foreach (var rules in _anchored)
            writer.WriteInts(rules);
        writer.WriteInts(_ruleClauseStart);
        writer.WriteInts(_ruleClauses);
        writer.WriteInts(_reach);
        Automaton.WriteTo(writer);
    }

    /// <summary>
    /// Runs, once, the code every first parse needs whatever its input: the scan, the start-position searches and the
    /// regex interpreter with and without case folding. The JIT compiles them here, as the table is read in the
    /// background at startup, rather than during the first request's parse, under its match timeout.
    /// </summary>
    private void Prime()
    {
        const string Sample = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        Span<ulong> candidates = stackalloc ulong[Words];
        Span<ulong> clauses = stackalloc ulong[ClauseWords];
        Span<int> firstEnd = stackalloc int[ClauseCount];
        Select(Sample, candidates, clauses, firstEnd);
        var timeout = TimeSpan.FromSeconds(1);
        foreach (var rule in Rules.Where(r => r.Positioned).Append(Rules.First(r => r.IgnoreCase)).Append(Rules.First(r => !r.IgnoreCase)))
            rule.Match(rule.CreateRegex(compiled: false, timeout), Sample);
    }
}
