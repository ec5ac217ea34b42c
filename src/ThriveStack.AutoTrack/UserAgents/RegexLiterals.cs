namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Finds literal text a regular expression cannot match without: the prefilter's key. For each rule it returns clauses,
/// all of which every match satisfies; a clause is a set of lower-case strings at least one of which the match contains
/// (one string for a literal run; one per branch for an alternation). An empty result means nothing is certain: the rule
/// always runs.
/// Conservative by construction: whatever it is unsure of (classes, dots, escapes like \d, optional or zero-width parts)
/// ends a literal run instead of being guessed, so a rule is never skipped when it could match.
/// </summary>
internal static class RegexLiterals
{
    public static IReadOnlyList<IReadOnlyList<string>> RequiredClauses(string pattern)
    {
        var position = 0;
        try
        {
            var clauses = ParseAlternation(pattern, ref position);
            return position == pattern.Length ? clauses.Where(c => c.Count > 0 && c.All(s => s.Length > 0)).ToList() : [];
        }
        catch (FormatException)
        {
            return [];
        }
    }

    // Alternation: one branch: all its clauses. Several: one clause, the union of each branch's most selective clause
    // (a branch with no clause makes the alternation require nothing).
    private static List<List<string>> ParseAlternation(string p, ref int i)
    {
        var branches = new List<List<List<string>>>();
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
        if (branches.Count == 1)
            return branches[0];
        if (branches.Any(b => b.Count == 0))
            return [];
        return [[.. branches.SelectMany(b => b.MaxBy(c => c.Min(s => s.Length))!).Distinct(StringComparer.Ordinal)]];
    }

    // Sequence: every literal run and every required group's clauses.
    private static List<List<string>> ParseSequence(string p, ref int i)
    {
        var clauses = new List<List<string>>();
        var run = new System.Text.StringBuilder();

        void EndRun()
        {
            if (run.Length > 0)
                clauses.Add([run.ToString()]);
            run.Clear();
        }

        while (i < p.Length && p[i] != '|' && p[i] != ')')
        {
            var c = p[i];
            char? literal = null;
            List<List<string>>? group = null;
            var isGroup = false;

            switch (c)
            {
                case '(':
                    i++;
                    if (i < p.Length && p[i] == '?')
                    {
                        // (?:...) keeps its content; lookarounds, named and flag groups are skipped as zero-width/unknown.
                        if (i + 1 < p.Length && p[i + 1] == ':')
                        {
                            i += 2;
                            group = ParseAlternation(p, ref i);
                        }
                        else
                        {
                            SkipGroup(p, ref i);
                            group = null;
                            isGroup = true;
                            EndRun();
                            Expect(p, ref i, ')');
                            SkipQuantifier(p, ref i);
                            continue;
                        }
                    }
                    else
                    {
                        group = ParseAlternation(p, ref i);
                    }
                    Expect(p, ref i, ')');
                    isGroup = true;
                    break;
                case '[':
                    // [Ss]: one letter in either case is that letter for a case-blind prefilter.
                    if (i + 3 < p.Length && p[i + 3] == ']' && char.IsAsciiLetter(p[i + 1]) &&
                        char.ToLowerInvariant(p[i + 1]) == char.ToLowerInvariant(p[i + 2]) && p[i + 1] != p[i + 2])
                    {
                        literal = p[i + 1];
                        i += 4;
                        goto Quantified;
                    }
                    SkipClass(p, ref i);
                    break;
                case '\\':
                    i++;
                    if (i >= p.Length)
                        throw new FormatException();
                    var e = p[i++];
                    if (char.IsAsciiLetterOrDigit(e))
                    {
                        if (e is 'x' or 'u')
                            throw new FormatException(); // hex escapes: not worth decoding, give up on this rule
                        literal = null; // \d \w \s \b and friends, backreferences
                    }
                    else
                    {
                        literal = e;
                    }
                    goto Quantified;
                case '.':
                case '^':
                case '$':
                    i++;
                    EndRun();
                    SkipQuantifier(p, ref i);
                    continue;
                default:
                    literal = c;
                    i++;
                    goto Quantified;
            }

            if (!isGroup)
            {
                i++; // past the class's closing bracket handled by SkipClass
                EndRun();
                SkipQuantifier(p, ref i);
                continue;
            }

            // A group: required only if its quantifier requires at least one repetition.
            var (minimum, _) = Quantifier(p, ref i);
            EndRun();
            if (minimum >= 1 && group is { Count: > 0 })
                clauses.AddRange(group);
            continue;

        Quantified:
            var (min, exact) = Quantifier(p, ref i);
            if (literal is null || min == 0)
            {
                EndRun();
                continue;
            }
            run.Append(char.ToLowerInvariant(literal.Value));
            if (!exact)
                EndRun(); // a+ : one 'a' is required, but what follows need not be adjacent to the run
        }
        EndRun();
        return clauses;
    }

    /// <summary>Reads a quantifier: (minimum repetitions, whether the atom occurs exactly once).</summary>
    private static (int Min, bool ExactlyOnce) Quantifier(string p, ref int i)
    {
        if (i >= p.Length)
            return (1, true);
        (int, bool) result;
        switch (p[i])
        {
            case '?': i++; result = (0, false); break;
            case '*': i++; result = (0, false); break;
            case '+': i++; result = (1, false); break;
            case '{':
                var close = p.IndexOf('}', i);
                if (close < 0)
                    return (1, true);
                var body = p[(i + 1)..close];
                var parts = body.Split(',');
                if (!int.TryParse(parts[0], out var min))
                    return (1, true); // a literal '{'
                i = close + 1;
                var exact = parts.Length == 1 && min == 1;
                result = (min, exact);
                break;
            default:
                return (1, true);
        }
        if (i < p.Length && p[i] is '?' or '+')
            i++; // lazy or possessive
        return result;
    }

    private static void SkipQuantifier(string p, ref int i) => Quantifier(p, ref i);

    private static void SkipClass(string p, ref int i)
    {
        i++; // '['
        if (i < p.Length && p[i] == '^')
            i++;
        if (i < p.Length && p[i] == ']')
            i++;
        while (i < p.Length && p[i] != ']')
        {
            if (p[i] == '\\')
                i++;
            i++;
        }
        if (i >= p.Length)
            throw new FormatException();
        // leaves i on ']'
    }

    private static void SkipGroup(string p, ref int i)
    {
        var depth = 0;
        while (i < p.Length)
        {
            var c = p[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == '[')
            {
                SkipClass(p, ref i);
                i++;
                continue;
            }
            if (c == '(')
                depth++;
            else if (c == ')')
            {
                if (depth == 0)
                    return;
                depth--;
            }
            i++;
        }
        throw new FormatException();
    }

    private static void Expect(string p, ref int i, char c)
    {
        if (i >= p.Length || p[i] != c)
            throw new FormatException();
        i++;
    }
}
