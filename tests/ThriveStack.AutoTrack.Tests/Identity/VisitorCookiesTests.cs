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

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    public void Resolve_WritesTheHeadersResponseCookiesAppendWrites(bool https, bool appCookieFirst, bool onlyTheSession)
    {
        var now = _time.GetUtcNow();
        var http = new DefaultHttpContext();
        http.Request.Scheme = https ? "https" : "http";
        if (onlyTheSession) // a returning device whose session is over a minute idle: the session cookie alone
            http.Request.Headers.Cookie = $"ts_device_id={new string('a', 32)}; ts_session_id={VisitorIds.FormatSession(new string('b', 32), now.AddMinutes(-2))}";
        if (appCookieFirst)
            http.Response.Cookies.Append("app", "1"); // the default cookies feature is now in place: still written directly
        var feature = new ThriveStackRequestFeature();
        var options = new ThriveStackOptions();
        options.Identity.DeviceCookieLifetime = TimeSpan.FromDays(400);
        options.Identity.SessionTimeout = TimeSpan.FromMinutes(45);

        new VisitorCookies(_time).Resolve(http, feature, options);

        var expected = new DefaultHttpContext();
        if (appCookieFirst)
            expected.Response.Cookies.Append("app", "1");
        if (!onlyTheSession)
            expected.Response.Cookies.Append("ts_device_id", feature.DeviceId!, SetCookieHeaders.Options(TimeSpan.FromDays(400), https));
        expected.Response.Cookies.Append("ts_session_id", VisitorIds.FormatSession(feature.SessionId!, now), SetCookieHeaders.Options(TimeSpan.FromMinutes(45), https));
        Assert.Equal(expected.Response.Headers.SetCookie.ToArray(), http.Response.Headers.SetCookie.ToArray());
        Assert.Contains(https ? "; secure" : "; path=/", http.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LongSessionCookieName_HeaderAsAppendWritesIt()
    {
        // The session cookie's header is formatted in one go into a stack buffer of 128 characters: a longer one still
        // comes out whole.
        var now = _time.GetUtcNow();
        var http = new DefaultHttpContext();
        var options = new ThriveStackOptions();
        options.Identity.SessionCookieName = "session_" + new string('s', 150);
        var feature = new ThriveStackRequestFeature();

        new VisitorCookies(_time).Resolve(http, feature, options);

        var expected = new DefaultHttpContext();
        expected.Response.Cookies.Append("ts_device_id", feature.DeviceId!, SetCookieHeaders.Options(options.Identity.DeviceCookieLifetime, false));
        expected.Response.Cookies.Append(options.Identity.SessionCookieName, VisitorIds.FormatSession(feature.SessionId!, now),
            SetCookieHeaders.Options(options.Identity.SessionTimeout, false));
        Assert.Equal(expected.Response.Headers.SetCookie.ToArray(), http.Response.Headers.SetCookie.ToArray());
    }

    [Fact]
    public void Resolve_LifetimeChanged_AttributesFollow()
    {
        var cookies = new VisitorCookies(_time);
        var options = new ThriveStackOptions();
        var first = new DefaultHttpContext();
        cookies.Resolve(first, new ThriveStackRequestFeature(), options);
        options.Identity.DeviceCookieLifetime = TimeSpan.FromDays(30); // a configuration reload

        var second = new DefaultHttpContext();
        cookies.Resolve(second, new ThriveStackRequestFeature(), options);

        Assert.Contains("; max-age=" + (long)TimeSpan.FromDays(30).TotalSeconds + ";", second.Response.Headers.SetCookie[0], StringComparison.Ordinal);
        Assert.DoesNotContain("; max-age=" + (long)TimeSpan.FromDays(30).TotalSeconds + ";", first.Response.Headers.SetCookie[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_BehindTheCookiePolicy_CookiesGoThroughIt()
    {
        var appended = new List<string>();
        var policy = new Microsoft.AspNetCore.CookiePolicy.CookiePolicyMiddleware(
            http =>
            {
                new VisitorCookies(_time).Resolve(http, new ThriveStackRequestFeature(), _options);
                return Task.CompletedTask;
            },
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Builder.CookiePolicyOptions
            {
                Secure = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always,
                OnAppendCookie = context => appended.Add(context.CookieName),
            }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var http = new DefaultHttpContext(); // plain http: only the policy makes the cookies Secure

        await policy.Invoke(http);

        Assert.Equal(["ts_device_id", "ts_session_id"], appended);
        Assert.All(http.Response.Headers.SetCookie.ToArray(), header => Assert.Contains("; secure", header, StringComparison.Ordinal));
    }
}
