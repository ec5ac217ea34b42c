using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Identity;
using ThriveStack.AutoTrack.UserAgents;

namespace ThriveStack.AutoTrack.Browser;

/// <summary>
/// The browser collector's two paths, served by <c>UseThriveStackTracking()</c>: the script (<see cref="BrowserScript"/>)
/// and <c>POST /collect</c>. A post is checked before anything is read from it (same site, size, rate per device and per
/// client address), then read strictly (<see cref="CollectRequest"/>), and its events are tracked as the server's own
/// are (<see cref="BrowserEvents"/>). Every refusal is a 4xx, counted by reason and logged at most every 10 seconds;
/// nothing here throws into the app.
/// </summary>
internal sealed partial class BrowserCollector : IDisposable
{
    private readonly Configuration.LiveOptions _options;
    private readonly BrowserEvents _events;
    private readonly UserAgentParser _userAgents;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LogThrottle _refusedLog;
    private readonly TrackingFailure _failure;
    private CollectLimiter? _limiter; // made by the first post: an app that never gets one never loads the rate limiters
    private BrowserScript? _script;

    public BrowserCollector(IOptionsMonitor<ThriveStackOptions> options, BrowserEvents events, UserAgentParser userAgents,
        ThriveStackMetrics metrics, TimeProvider time, ILogger<BrowserCollector> logger)
    {
        _options = new Configuration.LiveOptions(options);
        _events = events;
        _userAgents = userAgents;
        _metrics = metrics;
        _logger = logger;
        _refusedLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _failure = TrackingFailure.OfPageVisit(metrics, time, logger);
    }

    /// <summary>The script for the current options (the tag helper and the Blazor component link to its hashed URL).</summary>
    public BrowserScript Script
    {
        get
        {
            var browser = _options.Current.Browser;
            var script = _script;
            if (script is null || !ReferenceEquals(script.Options, browser))
                _script = script = new BrowserScript(browser);
            return script;
        }
    }

    /// <summary>The script's hashed URL under <paramref name="pathBase"/>; null when AutoTrack or its browser collector is off.</summary>
    public string? ScriptUrl(PathString pathBase)
        => _options.Current is { Enabled: true, Browser.Enabled: true } ? Script.Url(pathBase) : null;

    /// <summary>Handles the request when it is for the script or <c>/collect</c>; null otherwise.</summary>
    public Task? TryHandle(HttpContext context)
    {
        var browser = _options.Current.Browser;
        if (!browser.Enabled || !context.Request.Path.StartsWithSegments(browser.PathPrefix, StringComparison.OrdinalIgnoreCase, out var rest))
            return null;
        if (rest.Equals("/autotrack.js", StringComparison.OrdinalIgnoreCase))
            return ServeScriptAsync(context);
        if (rest.Equals("/collect", StringComparison.OrdinalIgnoreCase))
            return CollectSafelyAsync(context);
        return null;
    }

    public void Dispose() => Interlocked.Exchange(ref _limiter, null)?.Dispose();

    private CollectLimiter Limiter()
    {
        if (Volatile.Read(ref _limiter) is { } limiter)
            return limiter;
        var created = new CollectLimiter(_options.Current.Browser);
        var existing = Interlocked.CompareExchange(ref _limiter, created, null);
        if (existing is null)
            return created;
        created.Dispose();
        return existing;
    }

    private Task ServeScriptAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }
        var script = Script;
        var etag = "\"" + script.Hash + "\"";
        response.Headers.ETag = etag;
        response.Headers.XContentTypeOptions = "nosniff";
        // The hashed URL never changes content: cache it for a year. Without the hash, revalidate.
        response.Headers.CacheControl = request.Query["v"] == script.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        if (request.Headers.IfNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = "text/javascript; charset=utf-8";
        response.ContentLength = script.Content.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(script.Content, context.RequestAborted).AsTask();
    }

    private async Task CollectSafelyAsync(HttpContext context)
    {
        try
        {
            var outcome = await CollectAsync(context);
            _metrics.BrowserRequest(outcome);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            _failure.Report(ex); // never into the app: the post is refused instead, and counted
            _metrics.BrowserRequest(Refuse(context, CollectRefusals.Malformed));
        }
        catch (OperationCanceledException)
        {
            _metrics.BrowserRequest(CollectRefusals.Aborted); // the browser went away mid-body
        }
    }

    /// <summary>Checks, reads and tracks one post; returns the outcome counted (<c>accepted</c>, <c>bot</c> or a refusal).</summary>
    private async Task<string> CollectAsync(HttpContext context)
    {
        var request = context.Request;
        var browser = _options.Current.Browser;
        if (!HttpMethods.IsPost(request.Method))
            return Refuse(context, CollectRefusals.Method);
        if (!IsSameSite(request))
            return Refuse(context, CollectRefusals.CrossSite);
        if (request.ContentLength > browser.MaxBodyBytes)
            return Refuse(context, CollectRefusals.TooLarge);

        var agent = request.Headers.UserAgent.ToString();
        var userAgent = _userAgents.Parse(agent);
        if ((userAgent.IsBot || string.IsNullOrWhiteSpace(agent)) && !_options.Current.UserAgents.TrackBots)
        {
            _metrics.BotPageView();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return "bot";
        }

        if (!Limiter().Admit(context))
        {
            context.Response.Headers.RetryAfter = "60";
            return Refuse(context, CollectRefusals.RateLimited);
        }

        var body = ArrayPool<byte>.Shared.Rent(browser.MaxBodyBytes + 1);
        try
        {
            var length = await ReadBodyAsync(request.Body, body, browser.MaxBodyBytes + 1, context.RequestAborted);
            if (length > browser.MaxBodyBytes)
                return Refuse(context, CollectRefusals.TooLarge);
            var events = new List<BrowserEvent>(4);
            var problem = CollectRequest.Parse(body.AsSpan(0, length), browser.MaxEventsPerPost, events)
                ?? _events.Check(events, request);
            if (problem is not null)
                return Refuse(context, problem);
            RequestContextResolver.GetFeature(context).UserAgent = userAgent; // the enricher's, as for a page visit
            _events.Track(context, events);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return "accepted";
    }

    /// <summary>
    /// Same site only: the browser's <c>Sec-Fetch-Site</c> when it sends one, else an <c>Origin</c> equal to the app's
    /// own (browsers send one with every POST). A request with neither did not come from a page of this app.
    /// </summary>
    private static bool IsSameSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0 && !string.Equals(site[0], "same-origin", StringComparison.OrdinalIgnoreCase))
            return false;
        var origin = request.Headers.Origin;
        if (origin.Count == 0)
            return site.Count > 0;
        var own = request.Scheme + "://" + request.Host.ToUriComponent();
        return string.Equals(origin[0], own, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<int> ReadBodyAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken);
            if (read == 0)
                break;
            length += read;
        }
        return length;
    }

    private string Refuse(HttpContext context, string reason)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = reason switch
            {
                CollectRefusals.CrossSite => StatusCodes.Status403Forbidden,
                CollectRefusals.Method => StatusCodes.Status405MethodNotAllowed,
                CollectRefusals.TooLarge => StatusCodes.Status413PayloadTooLarge,
                CollectRefusals.RateLimited => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            };
        }
        if (_refusedLog.TryEnter(out var suppressed))
            Log.Refused(_logger, reason, suppressed);
        return reason;
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.BrowserRequestRefused, LogLevel.Warning,
            "ThriveStack: a post to the browser collector was refused ({Reason}). Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void Refused(ILogger logger, string reason, long suppressed);
    }
}
