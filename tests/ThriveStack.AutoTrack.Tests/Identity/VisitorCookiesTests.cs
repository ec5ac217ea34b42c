using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tests.Identity;

/// <summary>The device and session cookies alone, on a fake clock.</summary>
public class VisitorCookiesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ThriveStackOptions _options = new();

    [Theory]
    [InlineData("ts_device_id=abc", "abc")]
    [InlineData("a=1; ts_device_id=abc; b=2", "abc")]
    [InlineData("a=1;ts_device_id=\"abc\"", "abc")]
    [InlineData("xts_device_id=no; ts_device_id_x=no", null)]
    [InlineData("ts_device_id=first; ts_device_id=second", "first")]
    [InlineData("  ts_device_id =  spaced  ", "spaced")]
    [InlineData("=; ;;ts_device_id", null)]
    [InlineData("", null)]
    public void RequestCookie_FindsOnlyTheExactName(string header, string? expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = header;

        Assert.Equal(expected, VisitorCookies.RequestCookie(http.Request, "ts_device_id"));
    }

    [Theory]
    [InlineData("ts_device_id=d; ts_session_id=s", "d", "s")]
    [InlineData("ts_session_id=s; a=1; ts_device_id=d", "d", "s")]
    [InlineData("ts_device_id=d1; ts_device_id=d2; ts_session_id=s1; ts_session_id=s2", "d1", "s1")]
    [InlineData("ts_session_id=\"s\"", null, "s")]
    [InlineData("ts_device_id=d", "d", null)]
    [InlineData("ts_device_idx=no; xts_session_id=no", null, null)]
    public void ReadCookies_BothInOnePass_AsEachAlone(string header, string? device, string? session)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = header;

        VisitorCookies.ReadCookies(http.Request, "ts_device_id", out var hasDevice, out var deviceValue, "ts_session_id", out var hasSession, out var sessionValue);

        Assert.Equal(device, hasDevice ? deviceValue.ToString() : null);
        Assert.Equal(session, hasSession ? sessionValue.ToString() : null);
        Assert.Equal(device, VisitorCookies.RequestCookie(http.Request, "ts_device_id"));
        Assert.Equal(session, VisitorCookies.RequestCookie(http.Request, "ts_session_id"));
    }

    [Fact]
    public void ReadCookies_SameNameTwice_BothTheFirstOccurrence()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = "id=1; id=2";

        VisitorCookies.ReadCookies(http.Request, "id", out var hasFirst, out var first, "id", out var hasSecond, out var second);

        Assert.True(hasFirst && hasSecond);
        Assert.Equal("1", first.ToString());
        Assert.Equal("1", second.ToString());
    }

    [Fact]
    public void RequestCookie_SeveralCookieHeaders_AllSearched()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = new Microsoft.Extensions.Primitives.StringValues(["a=1", "ts_device_id=abc"]);

        Assert.Equal("abc", VisitorCookies.RequestCookie(http.Request, "ts_device_id"));
    }

    [Fact]
    public void Resolve_NewVisitor_IssuesBothCookies()
    {
        var http = new DefaultHttpContext();
        var feature = new ThriveStackRequestFeature();

        new VisitorCookies(_time).Resolve(http, feature, _options);

        Assert.True(feature.HasConsent);
        Assert.Matches("^[0-9a-f]{32}$", feature.DeviceId);
        Assert.Matches("^[0-9a-f]{32}$", feature.SessionId);
        var cookies = http.Response.Headers.SetCookie.ToString();
        Assert.Contains("ts_device_id=" + feature.DeviceId, cookies, StringComparison.Ordinal);
        Assert.Contains("ts_session_id=" + feature.SessionId, cookies, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ActiveSessionSecondsAgo_KeptWithoutSetCookie()
    {
        var now = _time.GetUtcNow();
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"ts_device_id={new string('a', 32)}; ts_session_id={VisitorIds.FormatSession(new string('b', 32), now.AddSeconds(-10))}";
        var feature = new ThriveStackRequestFeature();

        new VisitorCookies(_time).Resolve(http, feature, _options);

        Assert.Equal(new string('a', 32), feature.DeviceId);
        Assert.Equal(new string('b', 32), feature.SessionId);
        Assert.Empty(http.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public void Resolve_SessionIdleLongerThanTheTimeout_NewSession()
    {
        var now = _time.GetUtcNow();
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"ts_device_id={new string('a', 32)}; ts_session_id={VisitorIds.FormatSession(new string('b', 32), now.AddMinutes(-31))}";
        var feature = new ThriveStackRequestFeature();

        new VisitorCookies(_time).Resolve(http, feature, _options);

        Assert.Equal(new string('a', 32), feature.DeviceId);
        Assert.NotEqual(new string('b', 32), feature.SessionId);
    }

    [Fact]
    public void Resolve_NoConsent_NeitherReadNorWritten()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"ts_device_id={new string('a', 32)}";
        http.Request.Headers["Sec-GPC"] = "1";
        var feature = new ThriveStackRequestFeature();

        new VisitorCookies(_time).Resolve(http, feature, _options);

        Assert.False(feature.HasConsent);
        Assert.Null(feature.DeviceId);
        Assert.Empty(http.Response.Headers.SetCookie.ToString());
    }
}
