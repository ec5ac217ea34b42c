using ThriveStack.AutoTrack.PageVisits;

namespace ThriveStack.AutoTrack.Tests.PageVisits;

public class PathPatternTests
{
    [Theory]
    [InlineData("/health*", "/health", true)]
    [InlineData("/health*", "/healthz/ready", true)]
    [InlineData("/health*", "/api/health", false)]
    [InlineData("/api/*", "/api", true)]
    [InlineData("/api/*", "/API/users/1", true)]
    [InlineData("/api/*", "/apis", false)]
    [InlineData("/metrics", "/metrics", true)]
    [InlineData("/metrics", "/metrics/x", false)]
    [InlineData("*.php", "/wp/login.php", true)]
    [InlineData("/a*b*c", "/aXXbYYc", true)]
    [InlineData("/a*b*c", "/aXXbYY", false)]
    [InlineData("/HEALTH*", "/health", true)]
    [InlineData("/health*", "/HEALTHZ", true)]
    [InlineData("/café/*", "/CAFÉ/menu", true)]
    [InlineData("/café/*", "/cafe/menu", false)]
    [InlineData("", "/", false)]
    [InlineData("*", "/anything", true)]
    public void IsMatch(string pattern, string path, bool expected)
        => Assert.Equal(expected, new PathPattern(pattern).IsMatch(path));

    [Fact]
    public void IsMatch_HostileInput_StaysLinearEnough()
    {
        var pattern = new PathPattern("/*a*a*a*a*a*a*b");
        var path = "/" + new string('a', 20_000);

        Assert.False(pattern.IsMatch(path)); // finishes: no exponential backtracking
    }

    /// <summary>The literal-prefix check before the glob changes no answer: seeded random patterns and paths against a plain recursive matcher.</summary>
    [Fact]
    public void IsMatch_AgreesWithAPlainMatcher()
    {
        var random = new Random(20261202);
        const string Alphabet = "/aAbB*éÉ.";
        for (var i = 0; i < 20_000; i++)
        {
            var pattern = Text(random, Alphabet, random.Next(0, 7)).Trim();
            var path = Text(random, Alphabet.Replace("*", ""), random.Next(0, 9));
            var expected = (pattern.Length > 2 && pattern.EndsWith("/*", StringComparison.Ordinal) && pattern.IndexOf('*') == pattern.Length - 1 &&
                            path.Equals(pattern[..^2], StringComparison.OrdinalIgnoreCase)) || Plain(pattern, path);
            Assert.True(expected == new PathPattern(pattern).IsMatch(path), $"'{pattern}' on '{path}'");
        }
    }

    /// <summary>
    /// Patterns filed by their first character answer as checking every pattern does: seeded random sets of patterns and
    /// paths, with characters that fold to ASCII ones (U+0130, the Kelvin sign) and a dotless i, which does not.
    /// </summary>
    [Fact]
    public void PatternSet_AgreesWithCheckingEveryPattern()
    {
        var random = new Random(20261203);
        const string Alphabet = "/aAkKiI*\u0130\u0131\u212Aé.";
        var filed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var patterns = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => (random.Next(3) == 0 ? "" : "/") + Text(random, Alphabet, random.Next(0, 5)))
                .Where(p => p.Trim().Length > 0)
                .Select(p => new PathPattern(p))
                .ToArray();
            var set = new PathPatternSet(patterns);
            Assert.Equal(patterns.Length == 0, set.IsEmpty);
            for (var j = 0; j < 8; j++)
            {
                var path = "/" + Text(random, Alphabet.Replace("*", ""), random.Next(0, 5));
                var expected = patterns.Any(p => p.IsMatch(path));
                Assert.True(expected == set.MatchesAny(path), $"[{string.Join(", ", patterns.Select(p => p.Literal))}] on '{path}'");
                filed += expected && path.Length > 1 && path[1] < 128 ? 1 : 0;
            }
        }
        Assert.True(filed > 1_000, $"only {filed} matches of paths that take the filed route: the test does not exercise it");
    }

    [Theory]
    [InlineData("/pricing", true)]
    [InlineData("/PRICING", true)]
    [InlineData("/api", false)]
    [InlineData("/API/orders", false)]
    [InlineData("/apps", true)]
    [InlineData("/healthz", false)]
    [InlineData("/wp/login.php", false)]
    [InlineData("/\u0130tems", true)]
    public void DefaultExcludes_WithAnAppsOwn(string path, bool tracked)
        => Assert.Equal(tracked, new PageVisitRules(new PageVisitOptions { ExcludePaths = ["*.php", "/ITEMS/*"] }).IsPathTracked(path));

    private static string Text(Random random, string alphabet, int length)
        => new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    private static bool Plain(string pattern, string text)
    {
        if (pattern.Length == 0)
            return text.Length == 0;
        if (pattern[0] == '*')
            return Enumerable.Range(0, text.Length + 1).Any(skip => Plain(pattern[1..], text[skip..]));
        return text.Length > 0 && char.ToLowerInvariant(pattern[0]) == char.ToLowerInvariant(text[0]) && Plain(pattern[1..], text[1..]);
    }
}
