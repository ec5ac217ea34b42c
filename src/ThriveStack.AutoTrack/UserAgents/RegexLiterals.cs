namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Finds literal text a regular expression cannot match without: the prefilter's key. For each rule it returns clauses,
/// all of which every match satisfies; a clause is a set of lower-case strings at least one of which the match contains
/// (one string for a literal run; one per branch for an alternation), together with its lead: the furthest from the start
/// of the match that the string can begin. An empty result means nothing is certain: the rule always runs.
/// Conservative by construction: whatever it is unsure of (classes, dots, escapes like \d, optional or zero-width parts)
/// ends a literal run instead of being guessed, so a rule is never skipped when it could match, and a lead is never
/// smaller than it can be (<see cref="Unbounded"/> when a part before it has no maximum width).
/// </summary>
internal static class RegexLiterals
{
    /// <summary>A lead or width without an upper bound.</summary>
    public const int Unbounded = int.MaxValue;

    /// <summary>
    /// One required clause: the match contains one of <see cref="AnyOf"/> (lower-cased); literal k starts at most
    /// <c>Leads[k]</c> characters after the match's start.
    /// </summary>
    public sealed record Clause(IReadOnlyList<string> AnyOf, IReadOnlyList<int> Leads)
    {
        public Clause(string literal, int lead)
            : this([literal], [lead])
        {
        }

        /// <summary>The largest lead: how far from the match's start the clause's occurrence can begin.</summary>
        public int Lead => Leads.Max();

        public Clause Shifted(int width) => this with { Leads = [.. Leads.Select(lead => Add(width, lead))] };
    }

    /// <summary>The clauses of <paramref name="pattern"/>, with leads; empty when nothing is certain or the pattern is not understood.</summary>
    public static IReadOnlyList<Clause> Analyze(string pattern)
    {
        var position = 0;
        try
        {
            var (clauses, _) = ParseAlternation(pattern, ref position);
            return position == pattern.Length ? clauses.Where(c => c.AnyOf.Count > 0 && c.AnyOf.All(s => s.Length > 0)).ToList() : [];
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static int Add(int a, int b) => a == Unbounded || b == Unbounded || (long)a + b >= Unbounded ? Unbounded : a + b;

    private static int Times(int width, int count) => width == 0 ? 0 : width == Unbounded || count == Unbounded || (long)width * count >= Unbounded ? Unbounded : width * count;

    // Alternation: one branch: all its clauses. Several: one clause, the union of each branch's most selective clause,
    // led by the largest of their leads (a branch with no clause makes the alternation require nothing). Its width is
    // the widest branch's.
    private static (List<Clause> Clauses, int Width) ParseAlternation(string p, ref int i)
    {
        var branches = new List<(List<Clause> Clauses, int Width)>();
        while (true)
        {
            branches.Add(ParseSequence(p, ref i));
            if (i < p.Length && p[i] == '|')
            {
                i++;
                continue;
            }
            break;
        }
        var width = branches.Max(b => b.Width);
        if (branches.Count == 1)
            return branches[0];
        if (branches.Any(b => b.Clauses.Count == 0))
            return ([], width);
        var leads = new Dictionary<string, int>(StringComparer.Ordinal); // a literal in several branches: its largest lead
        foreach (var clause in branches.Select(b => b.Clauses.MaxBy(c => c.AnyOf.Min(s => s.Length))!))
        {
            for (var k = 0; k < clause.AnyOf.Count; k++)
                leads[clause.AnyOf[k]] = Math.Max(leads.GetValueOrDefault(clause.AnyOf[k]), clause.Leads[k]);
        }
        var literals = leads.Keys.ToList();
        return ([new Clause(literals, [.. literals.Select(literal => leads[literal])])], width);
    }

    // Sequence: every literal run and every required group's clauses; its width is the sum of its parts' widths.
    private static (List<Clause> Clauses, int Width) ParseSequence(string p, ref int i)
    {
        var clauses = new List<Clause>();
        var run = new System.Text.StringBuilder();
        var runLead = 0;
        var width = 0; // the widest the sequence can be up to here

        void EndRun()
        {
            if (run.Length > 0)
                clauses.Add(new Clause(run.ToString(), runLead));
            run.Clear();
        }

        while (i < p.Length && p[i] != '|' && p[i] != ')')
        {
            var c = p[i];
            char? literal;
            var atomWidth = 1; // a literal, a class, a dot, \d and the like: one character

            switch (c)
            {
                case '(':
                    i++;
                    List<Clause> inner;
                    int innerWidth;
                    if (i < p.Length && p[i] == '?')
                    {
                        if (i + 1 < p.Length && p[i + 1] == ':')
                        {
                            i += 2;
                            (inner, innerWidth) = ParseAlternation(p, ref i);
                        }
                        else
                        {
                            // Lookarounds take no width; named and flag groups are not analysed: unknown width.
                            var lookaround = i + 1 < p.Length && (p[i + 1] is '=' or '!' ||
                                (p[i + 1] == '<' && i + 2 < p.Length && p[i + 2] is '=' or '!'));
                            RegexSyntax.SkipGroup(p, ref i);
                            inner = [];
                            innerWidth = lookaround ? 0 : Unbounded;
                        }
                    }
                    else
                    {
                        (inner, innerWidth) = ParseAlternation(p, ref i);
                    }
                    RegexSyntax.Expect(p, ref i, ')');
                    // A group: its clauses are required only if its quantifier requires at least one repetition.
                    var (minimum, maximum, _) = RegexSyntax.Quantifier(p, ref i);
                    EndRun();
                    if (minimum >= 1)
                        clauses.AddRange(inner.Select(clause => clause.Shifted(width)));
                    width = Add(width, Times(innerWidth, maximum));
                    continue;
                case '[':
                    // [Ss]: one letter in either case is that letter for a case-blind prefilter.
                    if (i + 3 < p.Length && p[i + 3] == ']' && char.IsAsciiLetter(p[i + 1]) &&
                        char.ToLowerInvariant(p[i + 1]) == char.ToLowerInvariant(p[i + 2]) && p[i + 1] != p[i + 2])
                    {
                        literal = p[i + 1];
                        i += 4;
                        break;
                    }
                    RegexSyntax.SkipClass(p, ref i);
                    i++; // past the class's closing bracket
                    literal = null;
                    break;
                case '\\':
                    i++;
                    if (i >= p.Length)
                        throw new FormatException();
                    var e = p[i++];
                    if (char.IsAsciiLetterOrDigit(e))
                    {
                        if (e is 'x' or 'u' or 'p' or 'P' or 'c' or 'k' || char.IsAsciiDigit(e))
                            throw new FormatException(); // hex, Unicode category, control, backreferences: give up on this rule
                        atomWidth = e is 'b' or 'B' or 'A' or 'z' or 'Z' or 'G' ? 0 : 1; // anchors take no width
                        literal = null; // \d \w \s and friends
                    }
                    else
                    {
                        literal = e;
                    }
                    break;
                case '.':
                    i++;
                    literal = null;
                    break;
                case '^':
                case '$':
                    i++;
                    literal = null;
                    atomWidth = 0;
                    break;
                default:
                    literal = c;
                    i++;
                    break;
            }

            var (min, max, exact) = RegexSyntax.Quantifier(p, ref i);
            if (literal is null || min == 0)
            {
                EndRun();
            }
            else
            {
                if (run.Length == 0)
                    runLead = width;
                run.Append(char.ToLowerInvariant(literal.Value));
                if (!exact)
                    EndRun(); // a+ : one 'a' is required, but what follows need not be adjacent to the run
            }
            width = Add(width, Times(atomWidth, max));
        }
        EndRun();
        return (clauses, width);
    }
}
