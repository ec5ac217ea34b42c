using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Features;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// The <c>[TrackFeature]</c> filter on a real MVC pipeline (routing, model binding, filters, result), invoked in-process:
/// a tracked action, and an untracked action in the same app, against the same actions in an app without AutoTrack.
/// Requests carry a returning visitor's device and session cookies.
/// </summary>
[MemoryDiagnoser]
public class FeatureFilterBenchmarks
{
    private const int PerInvoke = 16;

    private Pipeline _with = null!;
    private Pipeline _without = null!;

    [GlobalSetup]
    public void Setup()
    {
        _with = new Pipeline(tracking: true);
        _without = new Pipeline(tracking: false);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _with.DisposeAsync();
        await _without.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PerInvoke)]
    public Task Action_WithoutAutoTrack() => _without.RunAsync("/bench/export", PerInvoke);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task Action_Tracked() => _with.RunAsync("/bench/export", PerInvoke);

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task UntrackedAction_WithAutoTrack() => _with.RunAsync("/bench/plain", PerInvoke);

    private sealed class Pipeline : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly RequestDelegate _pipeline;
        private readonly EventDispatcher? _dispatcher;

        public Pipeline(bool tracking)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddControllers().AddApplicationPart(typeof(BenchController).Assembly);
            if (tracking)
            {
                builder.Services.AddThriveStack(o =>
                {
                    o.ApiKey = "bench";
                    o.MaxQueueSize = PerInvoke * 4;
                });
                builder.Services.Replace(ServiceDescriptor.Singleton<IBatchTransport, NullBatchTransport>());
            }
            _app = builder.Build();
            // Built by hand, a WebApplication gets no implicit routing: add it, or every request is a 404.
            _app.UseRouting();
            _app.MapControllers();
            _app.UseEndpoints(_ => { });
            _pipeline = ((IApplicationBuilder)_app).Build();
            _dispatcher = tracking ? _app.Services.GetRequiredService<EventDispatcher>() : null;
            Verify(tracking);
        }

        /// <summary>Measure only what was meant: both actions answer 200, and only the tracked one queues an event.</summary>
        private void Verify(bool tracking)
        {
            foreach (var (path, events) in new[] { ("/bench/export", tracking ? 1 : 0), ("/bench/plain", 0) })
            {
                using var scope = _app.Services.CreateScope();
                var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
                http.Request.Method = HttpMethods.Post;
                http.Request.Path = path;
                _pipeline(http).GetAwaiter().GetResult();
                if (http.Response.StatusCode != 200)
                    throw new InvalidOperationException($"{path} answered {http.Response.StatusCode}");
                var queued = _dispatcher?.QueueLength ?? 0;
                _dispatcher?.DrainForBenchmark();
                if (queued != events)
                    throw new InvalidOperationException($"{path} queued {queued} events, expected {events}");
            }
        }

        private string _cookie = "";

        public async Task RunAsync(string path, int count)
        {
            _cookie = "ts_device_id=" + new string('a', 32) + "; ts_session_id=" + new string('b', 32) + "." + DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
            for (var i = 0; i < count; i++)
            {
                await using var scope = scopes.CreateAsyncScope();
                var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
                http.Request.Method = HttpMethods.Post;
                http.Request.Path = path;
                http.Request.Headers.Cookie = _cookie; // a returning, signed-out visitor
                await _pipeline(http);
            }
            _dispatcher?.DrainForBenchmark();
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}

[Route("bench")]
public sealed class BenchController : ControllerBase
{
    [HttpPost("export")]
    [TrackFeature("export_report", FeatureType = FeatureTypes.Core)]
    public IActionResult Export() => Ok();

    [HttpPost("plain")]
    public IActionResult Plain() => Ok();
}
