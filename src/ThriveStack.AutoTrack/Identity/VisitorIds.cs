using System.Globalization;
using System.Security.Cryptography;

namespace ThriveStack.AutoTrack.Identity;

/// <summary>Device and session ids: random 128-bit values in lower-case hex, and the session cookie's format.</summary>
internal static class VisitorIds
{
    public const int IdLength = 32;

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Accepts only what AutoTrack itself wrote: 32 lower-case hex digits. Anything else is replaced, never trusted.</summary>
    public static bool IsValidId(ReadOnlySpan<char> value)
    {
        if (value.Length != IdLength)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    /// <summary>The session cookie: <c>{id}.{last activity, Unix seconds}</c>, so the server decides when a session has expired.</summary>
    public static string FormatSession(string id, DateTimeOffset lastActivity)
        => string.Concat(id, ".", lastActivity.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    public static bool TryParseSession(string? value, out string id, out DateTimeOffset lastActivity)
    {
        id = string.Empty;
        lastActivity = default;
        if (value is null || value.Length is < IdLength + 2 or > IdLength + 13 || value[IdLength] != '.')
            return false;
        var idPart = value.AsSpan(0, IdLength);
        if (!IsValidId(idPart) ||
            !long.TryParse(value.AsSpan(IdLength + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }
        id = idPart.ToString();
        lastActivity = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
