namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>Everything AutoTrack knows about a user agent: the three uap-core results and the derived device type.</summary>
public sealed class UserAgentInfo
{
    internal UserAgentInfo(ParsedUserAgent userAgent, ParsedOs os, ParsedDevice device, string deviceType)
    {
        UserAgent = userAgent;
        Os = os;
        Device = device;
        DeviceType = deviceType;
    }

    /// <summary>The browser or client.</summary>
    public ParsedUserAgent UserAgent { get; }

    /// <summary>The operating system.</summary>
    public ParsedOs Os { get; }

    /// <summary>The device.</summary>
    public ParsedDevice Device { get; }

    /// <summary>One of <see cref="DeviceTypes"/>: <c>desktop</c>, <c>mobile</c>, <c>tablet</c>, <c>tv</c>, <c>bot</c>, <c>other</c>.</summary>
    public string DeviceType { get; }

    /// <summary>True for crawlers, monitors, command-line and library HTTP clients, and requests without a user agent.</summary>
    public bool IsBot => DeviceType == DeviceTypes.Bot;

    /// <summary>The browser's version as <c>major.minor</c> (or just major), or null.</summary>
    public string? UserAgentVersion => _userAgentVersion ??= Version(UserAgent.Major, UserAgent.Minor);

    /// <summary>The OS version as <c>major.minor</c> (or just major), or null.</summary>
    public string? OsVersion => _osVersion ??= Version(Os.Major, Os.Minor);

    /// <summary>The event fields encoded for the batch writer, made on first use and kept.</summary>
    internal EncodedUserAgent Encoded => Volatile.Read(ref _encoded) ?? (_encoded = new EncodedUserAgent(this));

    // Made on first use and kept: a parsed agent is cached and shared, and every page view of it asks for these.
    private string? _userAgentVersion;
    private string? _osVersion;
    private EncodedUserAgent? _encoded;

    private static string? Version(string? major, string? minor)
        => major is null ? null : minor is null ? major : string.Concat(major, ".", minor);
}
