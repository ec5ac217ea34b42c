namespace ThriveStack.AutoTrack.IntegrationTests;

/// <summary>A test that needs Chromium: skipped, with how to install it, when the browser is not there.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Where Chromium is: <c>CHROMIUM_PATH</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"Chromium is not installed at {ExecutablePath}. Install it with `sudo apt-get install -y chromium` " +
                "(Debian/Ubuntu; .ci/run does this), or point CHROMIUM_PATH at a Chrome or Chromium binary.";
        }
    }
}
