using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The page-visit middleware's cost per request: a returning visitor's page view (cookies present, UTM in the query)
/// and requests it skips (a stylesheet, a POST), each against the same pipeline without the middleware. Every invocation
/// builds a fresh <see cref="DefaultHttpContext"/>, in the baselines too, so the difference is the middleware's.
/// The response is <see cref="ServerResponse"/>, which runs <c>OnStarting</c> callbacks as Kestrel does.
/// The queue is emptied after each invocation (16 <c>TryRead</c>s, a few ns per request, included): left to grow, the
/// retained events would make the benchmark measure GC promotion instead of the middleware, which a running dispatcher
/// never lets happen.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private const int PerInvoke = 16;

    private static readonly string DeviceCookie = "ts_device_id=" + new string('a', 32) + "; ts_session_id=" + new string('b', 32) + ".";

    private ServiceProvider _services = null!;
    private RequestDelegate _withTracking = null!;
    private RequestDelegate _without = null!;
    private RequestDelegate _withTrackingAndBody = null!;
    private RequestDelegate _withoutAndBody = null!;
    private EventDispatcher _dispatcher = null!;
    private string _cookie = "";

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchmarkServices.Build(o => o.MaxQueueSize = PerInvoke * 4);
        _dispatcher = _services.GetRequiredService<EventDispatcher>();
        _withTracking = Pipeline(tracking: true);
        _without = Pipeline(tracking: false);
        _withTrackingAndBody = Pipeline(tracking: true, body: true);
        _withoutAndBody = Pipeline(tracking: false, body: true);

        // The premise: the tracked page's mark for the browser script is sent when the response starts, as under Kestrel.
        Run(_withTrackingAndBody, Page).GetAwaiter().GetResult();
        if (!_response.Headers.TryGetValue("Server-Timing", out var mark) || mark.Count == 0)
            throw new InvalidOperationException("The tracked page's response has no Server-Timing mark: the benchmark does not run what Kestrel runs.");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = PerInvoke)]
    public Task Page_WithoutMiddleware() => Run(_without, Page);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Page_Tracked() => Run(_withTracking, Page);

    /// <summary>
    /// A signed-in user's page view in a session already identified: the same page plus the user and account from claims
    /// and the automatic identify's once-per-session check (the identify itself went out on the first request).
    /// </summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Page_SignedIn_Tracked() => Run(_withTracking, SignedInPage);

    /// <summary>
    /// A 2 KB HTML page written by the app (as a minimal API's <c>Results.Content</c> does, through the response's pipe),
    /// so the cost of reading its title as it is written is included.
    /// </summary>
    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Page2KB_WithoutMiddleware() => Run(_withoutAndBody, Page);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Page2KB_Tracked() => Run(_withTrackingAndBody, Page);

    private readonly ServerResponse _response = new();

    /// <summary>
    /// The response as Kestrel runs it, reused from request to request as a connection's is: <c>OnStarting</c> callbacks
    /// run when the response starts (at the app's first write, or after the app returns when it wrote nothing; last
    /// registered first), response headers are kept for the connection and cleared, and the body is one reused
    /// <see cref="System.IO.Pipelines.Pipe"/> the app writes into. <see cref="DefaultHttpContext"/>'s own response feature
    /// never runs <c>OnStarting</c>, so without this the benchmark would leave out what AutoTrack does there.
    /// </summary>
    private sealed class ServerResponse : Microsoft.AspNetCore.Http.Features.IHttpResponseFeature, Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature
    {
        private readonly System.IO.Pipelines.Pipe _pipe = new(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        private readonly Stack<KeyValuePair<Func<object, Task>, object>> _onStarting = new();
        private Stream? _stream;

        public int StatusCode { get; set; } = 200;

        public string? ReasonPhrase { get; set; }

        public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

        [Obsolete("Use IHttpResponseBodyFeature.Stream, as the interface says.")]
        public Stream Body { get => Stream; set => throw new NotSupportedException(); }

        public bool HasStarted { get; private set; }

        public Stream Stream => _stream ??= _pipe.Writer.AsStream(leaveOpen: true);

        public System.IO.Pipelines.PipeWriter Writer => _pipe.Writer;

        /// <summary>Ready for the connection's next request: the last body read away, headers cleared, nothing started.</summary>
        public void Reset(DefaultHttpContext http)
        {
            if (_pipe.Reader.TryRead(out var read))
                _pipe.Reader.AdvanceTo(read.Buffer.End);
            Headers.Clear();
            StatusCode = 200;
            ReasonPhrase = null;
            HasStarted = false;
            _onStarting.Clear();
            http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(this);
            http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(this);
        }

        public void OnStarting(Func<object, Task> callback, object state)
        {
            if (HasStarted)
                throw new InvalidOperationException("The response has started.");
            _onStarting.Push(new(callback, state));
        }

        public void OnCompleted(Func<object, Task> callback, object state)
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (HasStarted)
                return Task.CompletedTask;
            while (_onStarting.TryPop(out var entry))
            {
                var task = entry.Key(entry.Value);
                if (!task.IsCompletedSuccessfully)
                    task.GetAwaiter().GetResult(); // AutoTrack's callback is synchronous
            }
            HasStarted = true;
            return Task.CompletedTask;
        }

        public void DisableBuffering()
        {
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => StartAsync();
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Stylesheet_WithoutMiddleware() => Run(_without, Stylesheet);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Stylesheet_Skipped() => Run(_withTracking, Stylesheet);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Post_WithoutMiddleware() => Run(_without, Post);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Post_Skipped() => Run(_withTracking, Post);

    private async Task Run(RequestDelegate pipeline, Func<DefaultHttpContext, DefaultHttpContext> request)
    {
        // A returning visitor navigating within the minute: the session cookie needs no rewrite.
        _cookie = DeviceCookie + DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 0; i < PerInvoke; i++)
        {
            var http = new DefaultHttpContext { RequestServices = _services };
            _response.Reset(http);
            request(http);
            await pipeline(http);
            await _response.StartAsync(); // as the server does when the app wrote nothing
        }
        _dispatcher.DrainForBenchmark();
    }

    private DefaultHttpContext Page(DefaultHttpContext http)
    {
        var r = http.Request;
        r.Method = HttpMethods.Get;
        r.Scheme = "https";
        r.Host = new HostString("www.acme.com");
        r.Path = "/pricing";
        r.QueryString = new QueryString("?utm_source=newsletter&utm_medium=email&utm_campaign=summer");
        r.Headers.Accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        r.Headers["Sec-Fetch-Dest"] = "document";
        r.Headers.Referer = "https://www.google.com/";
        r.Headers.Cookie = _cookie;
        r.Headers.UserAgent = FixtureAgents.Chrome; // parsed from the cache after the first request
        return http;
    }

    private static readonly System.Security.Claims.ClaimsPrincipal SignedIn = new(new System.Security.Claims.ClaimsIdentity(
    [
        new(System.Security.Claims.ClaimTypes.NameIdentifier, "u-42"),
        new("group_id", "acct-7"),
        new(System.Security.Claims.ClaimTypes.Email, "ada@acme.test"),
        new("name", "Ada Lovelace"),
    ], "cookie"));

    private DefaultHttpContext SignedInPage(DefaultHttpContext http)
    {
        Page(http).User = SignedIn;
        return http;
    }

    private static DefaultHttpContext Stylesheet(DefaultHttpContext http)
    {
        var r = http.Request;
        r.Method = HttpMethods.Get;
        r.Path = "/css/site.css";
        r.Headers["Sec-Fetch-Dest"] = "style";
        return http;
    }

    private static DefaultHttpContext Post(DefaultHttpContext http)
    {
        var r = http.Request;
        r.Method = HttpMethods.Post;
        r.Path = "/reports/export";
        return http;
    }

    private static readonly string Html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pricing</title></head><body><main>"
        + string.Concat(Enumerable.Range(0, 42).Select(i => $"<p>Plan {i}: everything a growing team needs.</p>")) + "</main></body></html>";

    private RequestDelegate Pipeline(bool tracking, bool body = false)
    {
        var app = new ApplicationBuilder(_services);
        Action<IApplicationBuilder> configure = builder =>
        {
            if (tracking)
                builder.UseThriveStackTracking();
            builder.Run(http =>
            {
                http.Response.StatusCode = 200;
                http.Response.ContentType = "text/html; charset=utf-8";
                return body ? http.Response.WriteAsync(Html) : Task.CompletedTask;
            });
        };
        // What AddThriveStack puts first in the pipeline (the request its Track calls are made during), as the host does.
        if (tracking)
        {
            foreach (var filter in _services.GetServices<Microsoft.AspNetCore.Hosting.IStartupFilter>().Reverse())
                configure = filter.Configure(configure);
        }
        configure(app);
        return app.Build();
    }

}
