using System.Text;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.PageVisits;

/// <summary>
/// Turns a request into <c>page_url</c>, <c>page_path</c>, <c>page_referrer</c> and the UTM fields: one pass over the raw
/// query string redacts secrets and picks out UTM values. Never throws on malformed input (invalid percent-encoding,
/// control characters, repeated keys): what cannot be decoded is kept as sent, and every value is length-bounded.
/// </summary>
internal static class PageUrl
{
    /// <summary>The value that replaces a redacted query parameter's value.</summary>
    public const string Redacted = "REDACTED";

    /// <summary>Longest UTM value and <c>page_title</c> sent, in characters.</summary>
    public const int MaxValueLength = 256;

    /// <summary>Longest <c>page_path</c> sent, in characters.</summary>
    public const int MaxPathLength = 1024;

    // Any query parameter whose name contains one of these is redacted, whatever the options say.
    private static readonly System.Buffers.SearchValues<string> RedactedFragments =
        System.Buffers.SearchValues.Create(["password", "token", "secret"], StringComparison.OrdinalIgnoreCase);

    /// <summary>The absolute URL as the app sees it (after forwarded headers), secrets redacted, bounded, from the request's parts (<see cref="PageSource"/>).</summary>
    public static string Build(string scheme, HostString host, PathString pathBase, PathString path, string? rawQuery, PrivacyOptions privacy, int maxLength, out UtmParameters? utm)
    {
        var query = ProcessQuery(rawQuery, privacy, out utm);
        var url = host.HasValue
            ? string.Concat(scheme, "://", host.ToUriComponent(), pathBase.ToUriComponent(), path.ToUriComponent(), query)
            : string.Concat(pathBase.ToUriComponent(), path.ToUriComponent(), query);
        return Truncate(url, maxLength);
    }

    /// <summary><c>page_path</c>: the path base and the path, "/" when both are empty, bounded.</summary>
    public static string Path(PathString pathBase, PathString path)
    {
        var value = pathBase.HasValue ? pathBase.Add(path).Value : path.Value;
        return Truncate(string.IsNullOrEmpty(value) ? "/" : value, MaxPathLength);
    }

    /// <summary>A referrer URL as sent, redacted and cut as <c>page_referrer</c>; null when it is not an http(s) URL.</summary>
    public static string? Referrer(string raw, PrivacyOptions privacy, int maxLength)
    {
        if (IsPlainHttpUrl(raw, maxLength))
            return raw; // the common case: an origin or a path with nothing to redact, kept as sent without parsing
        if (raw.Length == 0 || raw.Length > 4 * maxLength ||
            !Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }
        var query = uri.Query.Length > 0 ? ProcessQuery(uri.Query, privacy, out _) : string.Empty;
        // Cut before joining: GetLeftPart keeps user info out only when we ask for scheme + authority + path.
        return Truncate(string.Concat(uri.Scheme, "://", uri.Authority, uri.AbsolutePath, query), maxLength);
    }

    /// <summary>http(s)://host/path with no query, fragment, user info, spaces or control characters.</summary>
    private static bool IsPlainHttpUrl(string raw, int maxLength)
    {
        var afterScheme = raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7 : 0;
        if (afterScheme == 0 || raw.Length <= afterScheme || raw.Length > maxLength || raw[afterScheme] is '/' or '.' or ':')
            return false;
        foreach (var c in raw.AsSpan(afterScheme))
        {
            if (c is <= ' ' or '?' or '#' or '@' or '\\' or >= (char)0x7f)
                return false;
        }
        return true;
    }

    public static string Truncate(string value, int maxLength) => value.Length <= maxLength ? value : value[..maxLength];

    /// <summary>Returns the query (with its '?') with secret values redacted, and the UTM parameters found in it.</summary>
    internal static string ProcessQuery(string? query, PrivacyOptions privacy, out UtmParameters? utm)
    {
        utm = null;
        if (string.IsNullOrEmpty(query) || query == "?")
            return string.Empty;
        var body = query.AsSpan(query[0] == '?' ? 1 : 0);

        // Pass 1: pick out UTM values and see whether anything needs redacting.
        string? source = null, medium = null, campaign = null, term = null, content = null;
        var redact = false;
        var redacted = RedactionList.For(privacy);
        foreach (var range in body.Split('&'))
        {
            if (!SplitPair(body[range], out var rawName, out var rawValue))
                continue;
            var encoded = rawName.IndexOfAny('%', '+') >= 0;
            var name = encoded ? Decode(rawName).AsSpan() : rawName;
            redact = redact || IsRedacted(name, redacted);
            if (rawValue.Length == 0 || !name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase))
                continue;
            var field = name[4..];
            if (field.Equals("source", StringComparison.OrdinalIgnoreCase))
                source ??= DecodeValue(rawValue);
            else if (field.Equals("medium", StringComparison.OrdinalIgnoreCase))
                medium ??= DecodeValue(rawValue);
            else if (field.Equals("campaign", StringComparison.OrdinalIgnoreCase))
                campaign ??= DecodeValue(rawValue);
            else if (field.Equals("term", StringComparison.OrdinalIgnoreCase))
                term ??= DecodeValue(rawValue);
            else if (field.Equals("content", StringComparison.OrdinalIgnoreCase))
                content ??= DecodeValue(rawValue);
        }
        if (source is not null || medium is not null || campaign is not null || term is not null || content is not null)
            utm = new UtmParameters(source, medium, campaign, term, content);

        if (!redact)
            return query[0] == '?' ? query : string.Concat("?", query);

        // Pass 2, only when needed: the same pairs in the same order, secret values replaced.
        var rebuilt = new StringBuilder(query.Length + 8).Append('?');
        var first = true;
        foreach (var range in body.Split('&'))
        {
            if (!first)
                rebuilt.Append('&');
            first = false;
            var pair = body[range];
            if (SplitPair(pair, out var rawName, out _) && IsRedacted(rawName.IndexOfAny('%', '+') >= 0 ? Decode(rawName) : rawName, redacted))
                rebuilt.Append(rawName).Append('=').Append(Redacted);
            else
                rebuilt.Append(pair);
        }
        return rebuilt.ToString();
    }

    /// <summary>Splits <c>name=value</c>; false when there is no '=' (such a pair carries no value to redact).</summary>
    private static bool SplitPair(ReadOnlySpan<char> pair, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        var eq = pair.IndexOf('=');
        name = eq < 0 ? pair : pair[..eq];
        value = eq < 0 ? [] : pair[(eq + 1)..];
        return eq >= 0;
    }

    private static bool IsRedacted(ReadOnlySpan<char> name, RedactionList.Lookup redacted)
        => name.Length > 0 && (name.ContainsAny(RedactedFragments) || redacted.Contains(name));

    private static string Decode(ReadOnlySpan<char> raw) => Uri.UnescapeDataString(raw.ToString().Replace('+', ' '));

    private static string? DecodeValue(ReadOnlySpan<char> raw)
    {
        var bounded = raw.Length > 3 * MaxValueLength ? raw[..(3 * MaxValueLength)] : raw;
        var value = bounded.IndexOfAny('%', '+') >= 0 ? Decode(bounded).AsSpan().Trim() : bounded.Trim();
        if (value.Length == 0)
            return null;
        return (value.Length > MaxValueLength ? value[..MaxValueLength] : value).ToString();
    }
}
