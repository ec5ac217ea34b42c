using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks ThriveStack's ingestion APIs: <c>POST /api/track</c>,
/// <c>/api/identify</c> and <c>/api/group</c> with <c>x-api-key</c>, <c>content-type: application/json</c> and a JSON
/// array of records. It enforces each contract (<see cref="TrackContract"/>), answers like the API (200, 400, 401),
/// records what it accepts (<see cref="Events"/>, <see cref="Identifies"/>, <see cref="Groups"/>), and can be told to
/// misbehave, on every endpoint or on one (<see cref="SetFault(CollectorFault?)"/>). Point <c>ThriveStack:Endpoint</c>
/// at <see cref="Endpoint"/> (the identify and group URLs derive from it) and <c>ThriveStack:ApiKey</c> at <see cref="ApiKey"/>.
/// </summary>
public sealed partial class ThriveStackCollector : IAsyncDisposable
{
    /// <summary>The path the collector serves: <c>/api/track</c>.</summary>
    public const string TrackPath = "/api/track";

    /// <summary>The identify API's path: <c>/api/identify</c>.</summary>
    public const string IdentifyPath = "/api/identify";

    /// <summary>The group API's path: <c>/api/group</c>.</summary>
    public const string GroupPath = "/api/group";

    /// <summary>The page that <see cref="CollectorFault.Redirect"/> points to: 200 with HTML to any method, and records nothing.</summary>
    public const string MovedPath = "/moved";

    private readonly WebApplication _app;
    private readonly ThriveStackCollectorOptions _options;
    private readonly CollectorFault?[] _faults = new CollectorFault?[3]; // by RecordKind: track, identify, group
    private int _handling;
    private int _peakHandling;

    private ThriveStackCollector(WebApplication app, ThriveStackCollectorOptions options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>The URL to send to, e.g. <c>http://127.0.0.1:41234/api/track</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The API key the collector accepts.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>Starts a collector on a loopback port.</summary>
    /// <param name="options">Key and port; defaults to a random key and a free port.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running collector; dispose it to stop it.</returns>
    public static async Task<ThriveStackCollector> StartAsync(ThriveStackCollectorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ThriveStackCollectorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        var app = builder.Build();
        var collector = new ThriveStackCollector(app, options);
        app.Run(collector.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        collector.Endpoint = new Uri(new Uri(address), TrackPath);
        return collector;
    }

    /// <summary>Makes every following request, to any of the three endpoints, fail as <paramref name="fault"/> says; null to accept again.</summary>
    /// <param name="fault">The fault, or null.</param>
    public void SetFault(CollectorFault? fault)
    {
        for (var i = 0; i < _faults.Length; i++)
            Volatile.Write(ref _faults[i], fault);
    }

    /// <summary>The most requests to <c>/api/track</c> the collector was handling at once, since it started.</summary>
    public int PeakConcurrentRequests => Volatile.Read(ref _peakHandling);

    private async Task HandleAsync(HttpContext context)
    {
        var handling = Interlocked.Increment(ref _handling);
        for (var peak = Volatile.Read(ref _peakHandling); handling > peak; peak = Volatile.Read(ref _peakHandling))
        {
            if (Interlocked.CompareExchange(ref _peakHandling, handling, peak) == peak)
                break;
        }
        try
        {
            await HandleRequestAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _handling);
        }
    }

    private async Task HandleRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (string.Equals(request.Path.Value, MovedPath, StringComparison.Ordinal))
        {
            await CollectorAnswers.Page(response, "text/html; charset=utf-8").ConfigureAwait(false);
            return;
        }
        if (KindOf(request.Path.Value) is not { } kind)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        IRecordLog log = kind switch { RecordKind.Identify => _identifies, RecordKind.Group => _groups, _ => _log };
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var fault = Volatile.Read(ref _faults[(int)kind]);
        if (fault is { Delay.Ticks: > 0 })
        {
            await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
            fault = null; // then handled as usual
        }
        if (fault is { Hang: true })
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return;
        }
        if (fault is { Rejects: null, AcceptFirst: false, Warnings: null })
        {
            Record(log, request, fault.StatusCode, 0, ["fault injected"]);
            await CollectorAnswers.Fault(response, fault).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Headers["x-api-key"], _options.ApiKey, StringComparison.Ordinal))
        {
            Record(log, request, StatusCodes.Status401Unauthorized, 0, ["missing or wrong x-api-key"]);
            await CollectorAnswers.Error(response, StatusCodes.Status401Unauthorized, "Unauthorized: invalid or missing API key").ConfigureAwait(false);
            return;
        }

        var headerProblems = new List<string>();
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            headerProblems.Add($"content-type must be application/json, not '{request.ContentType}'");
        if (string.IsNullOrEmpty(request.Headers.Accept))
            headerProblems.Add("the accept header is missing (send accept: */*)");

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            headerProblems.Add("invalid JSON: " + ex.Message);
            Record(log, request, StatusCodes.Status400BadRequest, 0, headerProblems);
            await CollectorAnswers.Error(response, StatusCodes.Status400BadRequest, "Bad Request: invalid JSON").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = headerProblems.Concat(kind == RecordKind.Track ? TrackContract.ValidateBatch(root) : TraitsContractRules.ValidateBatch(kind, root)).ToList();
            var count = root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 0;
            // The API's per-request limits: 1,000 records or 2 MB of JSON.
            if (count > MaxRecordsPerRequest)
                problems.Add($"{count} records in one request; the API takes at most {MaxRecordsPerRequest}");
            if (request.ContentLength > MaxBytesPerRequest)
                problems.Add($"{request.ContentLength} bytes in one request; the API takes at most {MaxBytesPerRequest} (2 MB)");
            if (problems.Count > 0)
            {
                Record(log, request, StatusCodes.Status400BadRequest, count, problems);
                await CollectorAnswers.Error(response, StatusCodes.Status400BadRequest, "Bad Request: " + problems[0]).ConfigureAwait(false);
                return;
            }

            if (fault?.Rejects is { } rejects && root.EnumerateArray().Any(rejects))
            {
                Record(log, request, fault.StatusCode, count, ["fault injected: the batch holds a rejected event"]);
                await CollectorAnswers.Error(response, fault.StatusCode, fault.StatusCode == 400 ? "Bad Request: invalid event" : "Server Error").ConfigureAwait(false);
                return;
            }

            log.Accept(root, request.ContentLength);
            if (fault is { AcceptFirst: true })
            {
                await CollectorAnswers.Error(response, fault.StatusCode, "injected fault after accepting the batch").ConfigureAwait(false);
                return;
            }
        }

        response.ContentType = "application/json";
        if (fault?.Warnings is { } warnings)
        {
            await response.WriteAsync(CollectorAnswers.Warnings(warnings, fault.Documentation), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await response.WriteAsync(CollectorAnswers.Accepted(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The per-request limits of the API: records and bytes of JSON.</summary>
    private const int MaxRecordsPerRequest = 1_000, MaxBytesPerRequest = 2_000_000;

    private static void Record(IRecordLog log, HttpRequest request, int status, int count, IReadOnlyList<string> problems)
        => log.Refuse(status, count, problems, request.ContentLength);

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
