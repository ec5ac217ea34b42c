using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Where the spool lives when <see cref="ThriveStackOptions.SpoolPath"/> is not set.</summary>
internal static class SpoolLocation
{
    /// <summary>
    /// <c>&lt;temp&gt;/thrivestack/&lt;application name&gt;-&lt;8 hex of the content root's hash&gt;/spool.db</c>: writable
    /// in containers and beside read-only content roots, and distinct for two apps, or two copies of one app, on a machine.
    /// </summary>
    public static string Default(IHostEnvironment? environment)
    {
        var name = environment?.ApplicationName is { Length: > 0 } app ? app : "app";
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        var root = environment?.ContentRootPath ?? AppContext.BaseDirectory;
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(root)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return Path.Combine(Path.GetTempPath(), "thrivestack", safe + "-" + hash, "spool.db");
    }

    /// <summary>
    /// The spool of one kind of record: track events in <paramref name="path"/> itself, identify and group records beside
    /// it, with <c>-identify</c> or <c>-group</c> before the extension (<c>spool.db</c>, <c>spool-identify.db</c>,
    /// <c>spool-group.db</c>), so each endpoint's backlog is replayed to its own endpoint.
    /// </summary>
    public static string ForKind(string path, RecordKind kind)
    {
        if (kind == RecordKind.Track)
            return path;
        var extension = Path.GetExtension(path);
        return path[..^extension.Length] + "-" + kind.Name() + extension;
    }
}
