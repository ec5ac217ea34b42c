using System.Collections.Frozen;

namespace ThriveStack.AutoTrack.UserAgents;

/// <summary>
/// The device type (<see cref="DeviceTypes"/>) from uap-core's results and a few well-known tokens of the raw string:
/// bots (uap-core's <c>Spider</c> devices and clients that are not people), TVs, tablets, phones, desktops.
/// </summary>
internal static class DeviceClassifier
{
    // Clients that are not people: command-line tools, HTTP libraries, headless browsers and monitors, as uap-core names them.
    private static readonly FrozenSet<string> NonHumanClients = FrozenSet.ToFrozenSet(
    [
        "curl", "Wget", "Python Requests", "Python-urllib", "aiohttp", "Go-http-client", "Java", "Apache-HttpClient", "okhttp",
        "libwww-perl", "HTTPie", "PostmanRuntime", "axios", "node-fetch", "undici", "Guzzle", "GuzzleHttp", "PHP", "Ruby", "http.rb",
        "HeadlessChrome", "PhantomJS", "Scrapy", "Nutch", "Jakarta Commons-HttpClient", "Python aiohttp", "Dart", "ureq", "reqwest",
        "minio-go", "Faraday", "Mechanize", "WinHttp", "Microsoft Office Protocol Discovery", "Google-HTTP-Java-Client",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> DesktopOperatingSystems = FrozenSet.ToFrozenSet(
    [
        "Windows", "Mac OS X", "Mac OS", "Linux", "Ubuntu", "Debian", "Fedora", "Red Hat", "SUSE", "Gentoo", "Mint", "Arch Linux",
        "Chrome OS", "Chromium OS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "SunOS", "Mandriva", "Slackware", "Kubuntu", "CentOS",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> MobileOperatingSystems = FrozenSet.ToFrozenSet(
    [
        "iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Symbian OS", "Firefox OS", "Sailfish", "Tizen", "HarmonyOS",
        "Windows Mobile", "Bada", "webOS", "Maemo", "MeeGo", "BlackBerry Tablet OS",
    ], StringComparer.Ordinal);

    /// <summary>Derives the device type from uap-core's results and a few well-known tokens of the raw string.</summary>
    public static string Classify(string userAgent, ParsedUserAgent ua, ParsedOs os, ParsedDevice device)
    {
        if (device.Family == "Spider" || NonHumanClients.Contains(ua.Family))
            return DeviceTypes.Bot;

        if (IsTv(userAgent, device))
            return DeviceTypes.Tv;

        var family = device.Family;
        if (family.StartsWith("iPad", StringComparison.Ordinal) || family.Contains("Kindle", StringComparison.Ordinal) ||
            family.Contains("Tablet", StringComparison.OrdinalIgnoreCase) || family.StartsWith("Galaxy Tab", StringComparison.Ordinal) ||
            (os.Family == "Android" && !userAgent.Contains("Mobile", StringComparison.Ordinal)) ||
            userAgent.Contains("Tablet", StringComparison.OrdinalIgnoreCase))
        {
            return DeviceTypes.Tablet;
        }

        if (family.StartsWith("iPhone", StringComparison.Ordinal) || family.StartsWith("iPod", StringComparison.Ordinal) ||
            MobileOperatingSystems.Contains(os.Family) || userAgent.Contains("Mobi", StringComparison.Ordinal) ||
            userAgent.Contains("Opera Mini", StringComparison.Ordinal))
        {
            return DeviceTypes.Mobile;
        }

        if (DesktopOperatingSystems.Contains(os.Family) || os.Family.StartsWith("Windows", StringComparison.Ordinal))
            return DeviceTypes.Desktop;

        return DeviceTypes.Other;
    }

    private static bool IsTv(string userAgent, ParsedDevice device)
    {
        foreach (var token in TvTokens)
        {
            if (userAgent.Contains(token, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return device.Model?.StartsWith("AFT", StringComparison.Ordinal) == true; // Amazon Fire TV models
    }

    private static readonly string[] TvTokens =
    [
        "SmartTV", "SMART-TV", "Smart TV", "GoogleTV", "Google TV", "AppleTV", "Apple TV", "Android TV", "AndroidTV", "CrKey",
        "Roku", "BRAVIA", "HbbTV", "NetCast", "Web0S", "AFTB", "AFTS", "AFTM", "AFTT", "Fire TV", "Tizen TV",
    ];
}
