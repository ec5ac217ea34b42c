using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>Device and session ids: random 128-bit values in lower-case hex, and the session cookie's format.</summary>
internal static class VisitorIds
{
    public const int IdLength = 32;

    // Cryptographically random bytes, fetched 4 KiB at a time per thread: the OS call costs microseconds, once per 256 ids
    // instead of once per id. The pool never leaves the thread and each byte is used once.
    private const int PoolSize = 4096;

    // Where the OS has it, its random device: on Linux, RandomNumberGenerator is OpenSSL's, and loading and seeding
    // libcrypto for the first new visitor made about 5 MiB of an app's resident memory (a minimal API that has no other use
    // for it, measured with tests/load/run.sh). RandomNumberGenerator remains the source wherever the device is not.
    private static readonly SafeFileHandle? RandomDevice = OpenRandomDevice();

    [ThreadStatic]
    private static byte[]? t_pool;

    [ThreadStatic]
    private static int t_next;

    public static string NewId()
    {
        var pool = t_pool;
        if (pool is null || t_next > PoolSize - 16)
        {
            pool = t_pool ??= new byte[PoolSize];
            Fill(pool);
            t_next = 0;
        }
        var id = Convert.ToHexStringLower(pool, t_next, 16);
        pool.AsSpan(t_next, 16).Clear();
        t_next += 16;
        return id;
    }

    private static void Fill(byte[] pool)
    {
        if (RandomDevice is { } device)
        {
            try
            {
                var filled = 0;
                int read;
                while (filled < pool.Length && (read = RandomAccess.Read(device, pool.AsSpan(filled), 0)) > 0)
                    filled += read;
                if (filled == pool.Length)
                    return;
            }
            catch (IOException)
            {
                // fall through to the framework's generator
            }
        }
        RandomNumberGenerator.Fill(pool);
    }

    private static SafeFileHandle? OpenRandomDevice()
    {
        if (OperatingSystem.IsWindows())
            return null; // RandomNumberGenerator is the OS's own there (BCryptGenRandom)
        try
        {
            return File.OpenHandle("/dev/urandom", FileMode.Open, FileAccess.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Accepts only what AutoTrack itself wrote: 32 lower-case hex digits. Anything else is replaced, never trusted.</summary>
    public static bool IsValidId(ReadOnlySpan<char> value) => value.Length == IdLength && !value.ContainsAnyExcept(LowerHex);

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The session cookie: <c>{id}.{last activity, Unix seconds}</c>, so the server decides when a session has expired.</summary>
    public static string FormatSession(string id, DateTimeOffset lastActivity)
        => string.Concat(id, ".", lastActivity.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    public static bool TryParseSession(ReadOnlySpan<char> value, out string id, out DateTimeOffset lastActivity)
    {
        id = string.Empty;
        lastActivity = default;
        if (value.Length is < IdLength + 2 or > IdLength + 13 || value[IdLength] != '.')
            return false;
        var idPart = value[..IdLength];
        if (!IsValidId(idPart) ||
            !long.TryParse(value[(IdLength + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }
        id = idPart.ToString();
        lastActivity = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
