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
    public void IsMatch(string pattern, string path, bool expected)
        => Assert.Equal(expected, new PathPattern(pattern).IsMatch(path));

    [Fact]
    public void IsMatch_HostileInput_StaysLinearEnough()
    {
        var pattern = new PathPattern("/*a*a*a*a*a*a*b");
        var path = "/" + new string('a', 20_000);

        Assert.False(pattern.IsMatch(path)); // finishes: no exponential backtracking
    }
}
