using System.Text.Json;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// A parsed user agent's event fields encoded for the batch writer (<see cref="WireText"/>), made once per
/// <see cref="UserAgentInfo"/>: a cached parse is shared by every page view of that browser, so its browser, versions,
/// OS and device type are encoded once rather than once per event. A field is null when its value is null or cannot be
/// encoded; the writer then writes the string itself.
/// </summary>
/// <remarks>Threads: immutable once built; built by whichever thread asks first (two may, and either result is right).</remarks>
internal sealed class EncodedUserAgent
{
    public EncodedUserAgent(UserAgentInfo info)
    {
        Browser = WireText.TryEncode(info.UserAgent.Family);
        BrowserVersion = WireText.TryEncode(info.UserAgentVersion);
        Os = WireText.TryEncode(info.Os.Family);
        OsVersion = WireText.TryEncode(info.OsVersion);
        DeviceType = WireText.TryEncode(info.DeviceType);
    }

    public JsonEncodedText? Browser { get; }

    public JsonEncodedText? BrowserVersion { get; }

    public JsonEncodedText? Os { get; }

    public JsonEncodedText? OsVersion { get; }

    public JsonEncodedText? DeviceType { get; }
}
