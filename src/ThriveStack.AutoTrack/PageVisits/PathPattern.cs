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

    public PathPattern(string pattern)
    {
        _pattern = pattern.Trim();
        if (_pattern.Length > 2 && _pattern.EndsWith("/*", StringComparison.Ordinal) && _pattern.IndexOf('*') == _pattern.Length - 1)
            _barePrefix = _pattern[..^2];
    }

    public bool IsMatch(ReadOnlySpan<char> path)
        => (_barePrefix is not null && path.Equals(_barePrefix, StringComparison.OrdinalIgnoreCase)) || Glob(_pattern, path);

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
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
