namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// A path glob: <c>*</c> matches any run of characters (slashes included), comparison ignores case, and a pattern
/// ending in <c>/*</c> also matches the bare prefix (<c>/api/*</c> matches <c>/api</c>). No regular expressions, so
/// a hostile path cannot make matching slow: the worst case is linear in path length times the number of stars.
/// </summary>
internal sealed class PathPattern
{
    private readonly string _pattern;
    private readonly string? _barePrefix;
    private readonly string _literal; // the pattern up to its first star

    public PathPattern(string pattern)
    {
        _pattern = pattern.Trim();
        if (_pattern.Length > 2 && _pattern.EndsWith("/*", StringComparison.Ordinal) && _pattern.IndexOf('*') == _pattern.Length - 1)
            _barePrefix = _pattern[..^2];
        var star = _pattern.IndexOf('*');
        _literal = star < 0 ? _pattern : _pattern[..star];
    }

    /// <summary>The pattern's text before its first star: a path the pattern matches starts with it (ignoring case).</summary>
    public string Literal => _literal;

    // Every page request is checked against each exclude pattern (fourteen by default), and nearly every path fails
    // on the pattern's text before its first star: check that first, with the glob's own case folding.
    public bool IsMatch(ReadOnlySpan<char> path)
        => (_barePrefix is not null && path.Equals(_barePrefix, StringComparison.OrdinalIgnoreCase)) ||
           (StartsWith(path, _literal) && Glob(_pattern, path));

    private static bool StartsWith(ReadOnlySpan<char> text, ReadOnlySpan<char> prefix)
    {
        if (text.Length < prefix.Length)
            return false;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (Fold(prefix[i]) != Fold(text[i]))
                return false;
        }
        return true;
    }

    /// <summary><see cref="char.ToLowerInvariant"/>, without the call for ASCII.</summary>
    internal static char Fold(char c) => c < 128 ? (c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c) : char.ToLowerInvariant(c);

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && Fold(pattern[p]) == Fold(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
