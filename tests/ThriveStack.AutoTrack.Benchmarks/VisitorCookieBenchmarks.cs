using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// Reading AutoTrack's two cookies from a browser's <c>Cookie</c> header, as every page view does: one pass for both
/// (what <c>VisitorCookies.Resolve</c> does) against one pass each.
/// </summary>
[MemoryDiagnoser]
public class VisitorCookieBenchmarks
{
    private readonly HttpRequest _request = Request();

    private static HttpRequest Request()
    {
        var http = new DefaultHttpContext();
        // An app's own cookies around AutoTrack's, as a signed-in browser sends them.
        http.Request.Headers.Cookie = ".AspNetCore.Antiforgery.VyLW6ORzMgk=CfDJ8NrAkSldwD9CpLRyOtm6FiJB; ts_device_id=" + new string('a', 32)
            + "; theme=dark; .AspNetCore.Cookies=CfDJ8NrAkSldwD9CpLRyOtm6FiJBsomethinglonger; ts_session_id=" + new string('b', 32) + ".1764637200; lang=en";
        return http.Request;
    }

    [Benchmark(Baseline = true)]
    public int OnePassEach()
    {
        VisitorCookies.TryRequestCookie(_request, "ts_device_id", out var device);
        VisitorCookies.TryRequestCookie(_request, "ts_session_id", out var session);
        return device.Length + session.Length;
    }

    [Benchmark]
    public int BothInOnePass()
    {
        VisitorCookies.ReadCookies(_request, "ts_device_id", out _, out var device, "ts_session_id", out _, out var session);
        return device.Length + session.Length;
    }
}
