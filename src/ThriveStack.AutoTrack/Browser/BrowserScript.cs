using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// The browser script as served: <c>autotrack.js</c> (embedded, plain JavaScript) with the app's options written into
/// its config line, and a content hash for its URL, so browsers may cache it for a year and still get a new one when
/// either changes. Built once per options instance.
/// </summary>
internal sealed class BrowserScript
{
    private const string ConfigStart = "/*CONFIG*/", ConfigEnd = "/*END*/";
    private static readonly Lazy<string> Source = new(LoadSource);

    public BrowserScript(BrowserOptions options)
    {
        Options = options;
        var config = JsonSerializer.Serialize(new ScriptConfig(
            BrowserPaths.Collect(options), options.MaxEventsPerPost, options.TrackRouteChanges, options.TrackHashChanges,
            options.TrackBackForwardCache, options.TrackClicks, 1000), BrowserJsonContext.Default.ScriptConfig);
        var source = Source.Value;
        var start = source.IndexOf(ConfigStart, StringComparison.Ordinal) + ConfigStart.Length;
        var end = source.IndexOf(ConfigEnd, start, StringComparison.Ordinal);
        Content = Encoding.UTF8.GetBytes(string.Concat(source.AsSpan(0, start), config, source.AsSpan(end)));
        Hash = XxHash3.HashToUInt64(Content).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    public BrowserOptions Options { get; }

    /// <summary>The script's bytes (UTF-8).</summary>
    public byte[] Content { get; }

    /// <summary>The content's 64-bit XXH3 hash, 16 hex characters.</summary>
    public string Hash { get; }

    private ScriptUrl? _url; // the last one made: an app has one path base, or few

    /// <summary>The script's URL under <paramref name="pathBase"/>, its hash in the query: <c>/base/_thrivestack/autotrack.js?v=…</c>.</summary>
    public string Url(Microsoft.AspNetCore.Http.PathString pathBase)
    {
        var url = _url;
        var basePath = pathBase.Value ?? string.Empty;
        if (url is null || !string.Equals(url.PathBase, basePath, StringComparison.Ordinal))
            _url = url = new ScriptUrl(basePath, pathBase.Add(BrowserPaths.Script(Options)).Value + "?v=" + Hash);
        return url.Value;
    }

    private sealed record ScriptUrl(string PathBase, string Value);

    private static string LoadSource()
    {
        using var stream = typeof(BrowserScript).Assembly.GetManifestResourceStream("ThriveStack.AutoTrack.Browser.autotrack.js")
            ?? throw new InvalidOperationException("AutoTrack's browser script is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>What the script is told: where to post, how much at once, and what to report.</summary>
internal sealed record ScriptConfig(string Collect, int MaxEvents, bool Routes, bool Hash, bool Bfcache, bool Clicks, int SettleMs);

/// <summary>Source-generated JSON for the script's config (trim- and AOT-safe).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ScriptConfig))]
internal sealed partial class BrowserJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
