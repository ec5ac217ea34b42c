namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// A list of <see cref="PathPattern"/>s asked whether any matches a path, filed by the character after the leading
/// slash: a path is checked only against the patterns that begin as it does (<c>/pricing</c> against none of the default
/// fourteen, instead of all of them), and those that begin with a star or anything but an ASCII character in that
/// place. The answer is <see cref="PathPattern.IsMatch"/>'s for every pattern in turn.
/// </summary>
internal sealed class PathPatternSet
{
    private const int Ascii = 128;

    private readonly PathPattern[] _all;
    private readonly PathPattern[][] _byFirst; // by the folded ASCII character after the leading '/' of the pattern's literal text
    private readonly PathPattern[] _anywhere;  // every other pattern: checked for every path

    public PathPatternSet(IEnumerable<PathPattern> patterns)
    {
        _all = [.. patterns];
        _anywhere = [.. _all.Where(p => Key(p.Literal) < 0)];
        _byFirst = new PathPattern[Ascii][];
        for (var c = 0; c < Ascii; c++)
            _byFirst[c] = [.. _all.Where(p => Key(p.Literal) == c)];
    }

    public bool IsEmpty => _all.Length == 0;

    public bool MatchesAny(ReadOnlySpan<char> path)
    {
        // A non-ASCII character may fold to an ASCII one (U+0130 to 'i'; U+212A, the Kelvin sign, to 'k'): such a path,
        // or one too short to have a key, is checked against every pattern.
        var key = Key(path);
        if (key < 0)
            return Any(_all, path);
        return Any(_byFirst[key], path) || Any(_anywhere, path);
    }

    /// <summary>The folded ASCII character after a leading '/', or -1 when there is none (a star, non-ASCII, too short).</summary>
    private static int Key(ReadOnlySpan<char> text)
    {
        if (text.Length < 2 || text[0] != '/' || text[1] >= Ascii || text[1] == '*')
            return -1;
        return PathPattern.Fold(text[1]);
    }

    private static bool Any(PathPattern[] patterns, ReadOnlySpan<char> path)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(path))
                return true;
        }
        return false;
    }
}
