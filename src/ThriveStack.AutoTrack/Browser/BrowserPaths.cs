namespace ThriveStack.AutoTrack.Browser;

/// <summary>The browser collector's two paths under <see cref="BrowserOptions.PathPrefix"/>.</summary>
internal static class BrowserPaths
{
    public static string Script(BrowserOptions options) => options.PathPrefix + "/autotrack.js";

    public static string Collect(BrowserOptions options) => options.PathPrefix + "/collect";

    /// <summary>A path prefix: starts with '/', does not end with one, and holds only unreserved and sub-delimiter characters.</summary>
    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix[0] != '/' || prefix.Length == 1 || prefix[^1] == '/' || prefix.Contains("//", StringComparison.Ordinal))
            return false;
        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~'))
                return false;
        }
        return true;
    }
}
