namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>The lexical pieces of .NET regex syntax that <see cref="RegexLiterals"/> reads: quantifiers, classes, groups.</summary>
internal static class RegexSyntax
{
    /// <summary>Reads a quantifier: (minimum and maximum repetitions, whether the atom occurs exactly once).</summary>
    public static (int Min, int Max, bool ExactlyOnce) Quantifier(string p, ref int i)
    {
        if (i >= p.Length)
            return (1, 1, true);
        (int, int, bool) result;
        switch (p[i])
        {
            case '?': i++; result = (0, 1, false); break;
            case '*': i++; result = (0, RegexLiterals.Unbounded, false); break;
            case '+': i++; result = (1, RegexLiterals.Unbounded, false); break;
            case '{':
                var close = p.IndexOf('}', i);
                if (close < 0)
                    return (1, 1, true);
                var parts = p[(i + 1)..close].Split(',');
                if (parts.Length > 2 || !int.TryParse(parts[0], out var min))
                    return (1, 1, true); // a literal '{'
                var max = min;
                if (parts.Length == 2)
                {
                    if (parts[1].Length == 0)
                        max = RegexLiterals.Unbounded;
                    else if (!int.TryParse(parts[1], out max))
                        return (1, 1, true);
                }
                i = close + 1;
                result = (min, max, min == 1 && max == 1);
                break;
            default:
                return (1, 1, true);
        }
        if (i < p.Length && p[i] is '?' or '+')
            i++; // lazy or possessive
        return result;
    }

    public static void SkipClass(string p, ref int i)
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

    public static void SkipGroup(string p, ref int i)
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

    public static void Expect(string p, ref int i, char c)
    {
        if (i >= p.Length || p[i] != c)
            throw new FormatException();
        i++;
    }
}
