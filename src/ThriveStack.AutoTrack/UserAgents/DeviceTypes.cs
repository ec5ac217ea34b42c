namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>The values of <see cref="UserAgentInfo.DeviceType"/> (sent as the <c>device_type</c> property).</summary>
public static class DeviceTypes
{
    /// <summary><c>desktop</c>: Windows, macOS, Linux, ChromeOS and other desktop systems.</summary>
    public const string Desktop = "desktop";

    /// <summary><c>mobile</c>: phones.</summary>
    public const string Mobile = "mobile";

    /// <summary><c>tablet</c>: iPads, Android tablets, Kindles.</summary>
    public const string Tablet = "tablet";

    /// <summary><c>tv</c>: smart TVs and streaming boxes.</summary>
    public const string Tv = "tv";

    /// <summary><c>bot</c>: crawlers, monitors, command-line and library HTTP clients.</summary>
    public const string Bot = "bot";

    /// <summary><c>other</c>: anything not recognised.</summary>
    public const string Other = "other";
}
