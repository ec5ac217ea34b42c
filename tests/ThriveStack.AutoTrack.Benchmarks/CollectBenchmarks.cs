using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The server's cost of one post from the browser script to <c>/_thrivestack/collect</c>: the same-site, size and rate
/// checks, reading and checking the JSON, and tracking what it holds (one route change, or a route change and a click),
/// for a returning visitor. The queue is emptied after each invocation, as in <see cref="MiddlewareBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class CollectBenchmarks
{
    private const int PerInvoke = 16;
    private static readonly string Cookie = "ts_device_id=" + new string('a', 32) + "; ts_session_id=" + new string('b', 32) + ".";
    private static readonly byte[] RouteChange = Encoding.UTF8.GetBytes(
        """{"events":[{"kind":"page_view","url":"https://www.acme.com/app/projects?utm_source=mail","referrer":"https://www.acme.com/app","title":"App · Projects"}]}""");
    private static readonly byte[] RouteChangeAndClick = Encoding.UTF8.GetBytes(
        """{"events":[{"kind":"page_view","url":"https://www.acme.com/app/projects","referrer":"https://www.acme.com/app","title":"App · Projects"},{"kind":"feature","name":"project_created"}]}""");

    private ServiceProvider _services = null!;
    private RequestDelegate _pipeline = null!;
    private EventDispatcher _dispatcher = null!;
    private string _cookie = "";

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchmarkServices.Build(o =>
        {
            o.MaxQueueSize = PerInvoke * 8;
            o.Browser.PostsPerMinutePerDevice = 1_000_000_000;
            o.Browser.PostsPerMinutePerAddress = 1_000_000_000;
        });
        _dispatcher = _services.GetRequiredService<EventDispatcher>();
        var app = new ApplicationBuilder(_services);
        app.UseThriveStackTracking();
        app.Run(static _ => Task.CompletedTask);
        _pipeline = app.Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Collect_RouteChange() => Run(RouteChange);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Collect_RouteChangeAndClick() => Run(RouteChangeAndClick);

    private async Task Run(byte[] body)
    {
        _cookie = Cookie + DateTimeOffset.UtcNow.ToUnixTimeSeconds(); // a session active within the minute
        for (var i = 0; i < PerInvoke; i++)
        {
            var http = new DefaultHttpContext { RequestServices = _services };
            var r = http.Request;
            r.Method = HttpMethods.Post;
            r.Scheme = "https";
            r.Host = new HostString("www.acme.com");
            r.Path = "/_thrivestack/collect";
            r.ContentType = "application/json";
            r.ContentLength = body.Length;
            r.Body = new MemoryStream(body, writable: false);
            r.Headers.Origin = "https://www.acme.com";
            r.Headers["Sec-Fetch-Site"] = "same-origin";
            r.Headers.Cookie = _cookie;
            r.Headers.UserAgent = FixtureAgents.Chrome;
            await _pipeline(http);
            if (http.Response.StatusCode != StatusCodes.Status204NoContent)
                throw new InvalidOperationException("The post was refused: " + http.Response.StatusCode);
        }
        _dispatcher.DrainForBenchmark();
    }
}
