using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// Adds <c>browser</c>, <c>browser_version</c>, <c>os</c>, <c>os_version</c> and <c>device_type</c> to an event from the
/// request's user agent, refined by client hints: when both <c>Sec-CH-UA-Mobile</c> and <c>Sec-CH-UA-Platform</c> are sent,
/// the platform names the OS and the mobile flag settles phone versus desktop (and an Android "not mobile" is a tablet).
/// </summary>
internal static class UserAgentEnrichment
{
    public const string Browser = "browser";
    public const string BrowserVersion = "browser_version";
    public const string Os = "os";
    public const string OsVersion = "os_version";
    public const string DeviceType = "device_type";

    /// <summary>Adds the properties to <paramref name="properties"/> where absent.</summary>
    /// <param name="properties">The event's own bag.</param>
    /// <param name="request">The request, for its client hints.</param>
    /// <param name="info">The request's parsed user agent.</param>
    /// <param name="signals">The client hints as the page-visit middleware read them, when it did; else they are looked up.</param>
    public static void AddTo(Dictionary<string, object?> properties, HttpRequest request, UserAgentInfo info, in ClientSignals signals = default)
    {
        var (os, deviceType) = Refine(request, info, signals);
        if (info.UserAgent.Family != "Other")
        {
            properties.TryAdd(Browser, info.UserAgent.Family);
            if (info.UserAgentVersion is { } version)
                properties.TryAdd(BrowserVersion, version);
        }
        if (os != "Other")
        {
            properties.TryAdd(Os, os);
            if (os == info.Os.Family && info.OsVersion is { } version)
                properties.TryAdd(OsVersion, version);
        }
        properties.TryAdd(DeviceType, deviceType);
    }

    /// <summary>The same properties as <see cref="AddTo(Dictionary{string, object?}, HttpRequest, UserAgentInfo, in ClientSignals)"/>, into an event's <see cref="DeferredProperties"/> (which has none yet).</summary>
    public static void AddTo(DeferredProperties properties, HttpRequest request, UserAgentInfo info, in ClientSignals signals = default)
    {
        var (os, deviceType) = Refine(request, info, signals);
        properties.Agent = info;
        properties.Os = os != "Other" ? os : null;
        properties.DeviceType = deviceType;
    }

    internal static (string Os, string DeviceType) Refine(HttpRequest request, UserAgentInfo info, in ClientSignals signals = default)
    {
        var headers = request.Headers;
        var mobile = signals.MobileOf(headers).ToString();
        var platform = signals.PlatformOf(headers).ToString().Trim('"');
        if (mobile.Length == 0 || platform.Length == 0 || info.IsBot)
            return (info.Os.Family, info.DeviceType);

        var os = platform switch
        {
            "Windows" => "Windows",
            "macOS" => "Mac OS X",
            "Linux" => info.Os.Family == "Other" ? "Linux" : info.Os.Family, // keep a distribution uap-core recognised
            "Android" => "Android",
            "iOS" => "iOS",
            "Chrome OS" or "Chromium OS" => "Chrome OS",
            _ => info.Os.Family,
        };
        var deviceType = info.DeviceType;
        if (deviceType != DeviceTypes.Tv)
        {
            deviceType = mobile == "?1" ? DeviceTypes.Mobile
                : os == "Android" ? DeviceTypes.Tablet
                : deviceType is DeviceTypes.Mobile or DeviceTypes.Other ? DeviceTypes.Desktop : deviceType;
        }
        return (os, deviceType);
    }
}
