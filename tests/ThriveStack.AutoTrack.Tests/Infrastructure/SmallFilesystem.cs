using System.Diagnostics;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>A real, tiny filesystem (a Linux tmpfs) that fills up: needs root, as CI has; unmounted on dispose.</summary>
internal sealed class SmallFilesystem : IDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFilesystem Mount(int kibibytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "autotrack-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={kibibytes}k", "tmpfs", path);
        return new SmallFilesystem(path);
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}

/// <summary>A test that mounts a <see cref="SmallFilesystem"/>: skipped, saying why, where that is not allowed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SmallFilesystemFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> CanMount = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess || !File.Exists("/bin/mount"))
            return false;
        try
        {
            using var probe = SmallFilesystem.Mount(kibibytes: 64); // a container without the right to mount says so here
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return false;
        }
    });

    public SmallFilesystemFactAttribute()
    {
        if (!CanMount.Value)
            Skip = "Mounting a small tmpfs needs Linux and root with the right to mount (CI runs as root); the same behaviour is covered without it by the read-only spool tests.";
    }
}
