using System.Globalization;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Decides when requests may go out, from how the API answered: exponential backoff with full jitter after failures,
/// the pause a 429's <c>Retry-After</c> asks for (at most an hour), and a slow probe while the API key is refused. It
/// logs each kind of trouble in its own throttled line (or once, where the fix is a setting), and publishes its
/// decision as one immutable <see cref="DeliveryState"/>.
/// </summary>
/// <remarks>
/// Threads: only the sending loop calls <see cref="Delivered"/>, <see cref="Failed"/> and <see cref="Pause"/>, so the
/// private fields below are the sender's alone. <see cref="State"/> is the one place other threads read.
/// </remarks>
internal sealed partial class DeliveryGate
{
    /// <summary>The longest pause a <c>Retry-After</c> can ask for.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryPolicy _retry;
    private readonly TimeSpan _keyRefusedRetryInterval;
    private readonly string _endpoint;
    private readonly string _api;     // "track", "identify" or "group", for the log lines
    private readonly string _setting; // the option that sets this endpoint
    private readonly Action _changed;
    private readonly LogThrottle _failureLog;
    private readonly LogThrottle _rateLimitLog;

    // Sender thread only.
    private int _failures;                // failures in a row: the backoff exponent
    private DateTimeOffset _refusedSince; // when the key was first refused, for the "accepted again after" line
    private string? _misconfiguration;    // the redirect Location or non-API content type last logged

    // Written by the sender, read by any thread.
    private DeliveryState _state = DeliveryState.Initial;

    /// <param name="options">Retry delays, the key-refused probe interval and the endpoint (for log lines).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where the delivery lines go.</param>
    /// <param name="changed">Called after every change of state (to wake the loops and settle flushes).</param>
    /// <param name="random">Jitter source; tests pass a seeded one.</param>
    /// <param name="kind">Whose gate: its API is named in the log lines.</param>
    public DeliveryGate(ThriveStackOptions options, TimeProvider time, ILogger logger, Action changed, Random? random = null, RecordKind kind = RecordKind.Track)
    {
        _api = kind.Name();
        _setting = kind switch { RecordKind.Identify => "IdentifyEndpoint", RecordKind.Group => "GroupEndpoint", _ => "Endpoint" };
        _time = time;
        _logger = logger;
        _changed = changed;
        _retry = new RetryPolicy(options.RetryBaseDelay, options.RetryMaxDelay, random);
        _keyRefusedRetryInterval = options.KeyRefusedRetryInterval;
        _endpoint = ThriveStackOptions.Display(options.EndpointOf(kind));
        _failureLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _rateLimitLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>The current decision, safe to read from any thread.</summary>
    public DeliveryState State => Volatile.Read(ref _state);

    /// <summary>True when the pause (if any) is over: the next request may go (while paused, it is the probe).</summary>
    public bool MaySend => State is var s && (s.IsOpen || s.ResumeAt <= _time.GetUtcNow());

    /// <summary>The API accepted a batch: failures are forgotten and a pause ends (logged once, as resumed or key accepted).</summary>
    public void Delivered()
    {
        var now = _time.GetUtcNow();
        _failures = 0;
        _misconfiguration = null;
        var was = State;
        Volatile.Write(ref _state, new DeliveryState(DeliveryStatus.Delivering, now, now));
        if (was.IsOpen)
            return;
        if (was.Status == DeliveryStatus.KeyRefused)
            Log.KeyAccepted(_logger, _api, now - _refusedSince);
        else
            Log.DeliveryResumed(_logger, _api);
        _changed();
    }

    /// <summary>A request failed as <paramref name="result"/> says: pause for as long as that kind of failure asks, and say so.</summary>
    /// <param name="result">The answer (never a delivery or a 400, which the delivery step settles itself).</param>
    /// <param name="count">Events in the failed request, for the log line.</param>
    /// <param name="backlog">Where the events wait meanwhile ("the spool" or "memory"), for the log line.</param>
    public void Failed(SendResult result, int count, string backlog)
    {
        switch (result.Outcome)
        {
            case SendOutcome.Unauthorized:
                if (State.Status != DeliveryStatus.KeyRefused)
                {
                    _refusedSince = _time.GetUtcNow();
                    Log.KeyRefused(_logger, _api, result.StatusCode, _keyRefusedRetryInterval, backlog);
                }
                Pause(DeliveryStatus.KeyRefused, _keyRefusedRetryInterval);
                return;

            case SendOutcome.RateLimited when result.RetryAfter is { } retryAfter:
                var wait = retryAfter > MaxRetryAfter ? MaxRetryAfter : retryAfter;
                if (_rateLimitLog.TryEnter(out var suppressedLimits))
                    Log.RateLimited(_logger, _api, count, wait, suppressedLimits);
                Pause(DeliveryStatus.RateLimited, wait);
                return;

            case SendOutcome.Redirected or SendOutcome.NotTheApi:
                // Once per Location or content type until a batch goes through: the fix is in the configuration.
                if (!string.Equals(_misconfiguration, result.Detail, StringComparison.Ordinal))
                {
                    _misconfiguration = result.Detail;
                    if (result.Outcome == SendOutcome.Redirected)
                        Log.EndpointRedirected(_logger, _api, _endpoint, result.StatusCode, result.Detail ?? "", backlog, _setting);
                    else
                        Log.NotTheApi(_logger, _api, _endpoint, result.StatusCode, result.Detail ?? "", backlog, _setting);
                }
                Pause(DeliveryStatus.Retrying, _retry.Delay(++_failures));
                return;

            default:
                var delay = _retry.Delay(++_failures);
                if (_failureLog.TryEnter(out var suppressed))
                {
                    var problem = result.Error ?? "status " + result.StatusCode.ToString(CultureInfo.InvariantCulture);
                    Log.BatchFailed(_logger, _api, count, problem, delay, backlog, suppressed);
                }
                Pause(DeliveryStatus.Retrying, delay);
                return;
        }
    }

    /// <summary>Something on our side failed (the backlog): back off as after a transient failure.</summary>
    public void Backoff() => Pause(DeliveryStatus.Retrying, _retry.Delay(++_failures));

    private void Pause(DeliveryStatus status, TimeSpan wait)
    {
        Volatile.Write(ref _state, new DeliveryState(status, _time.GetUtcNow() + wait, State.LastDeliveredAt));
        _changed();
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.BatchFailed, LogLevel.Warning,
            "ThriveStack: the {Api} API did not take a batch (events: {Count}; {Problem}); retrying in {Delay}, and events wait in {Backlog} meanwhile. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void BatchFailed(ILogger logger, string api, int count, string problem, TimeSpan delay, string backlog, long suppressed);

        [LoggerMessage(LogEvents.RateLimited, LogLevel.Warning,
            "ThriveStack: the {Api} API is rate limiting (429) a batch (events: {Count}); sending pauses for {Delay} as its Retry-After asks. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void RateLimited(ILogger logger, string api, int count, TimeSpan delay, long suppressed);

        [LoggerMessage(LogEvents.KeyRefused, LogLevel.Error,
            "ThriveStack: the {Api} API refused the API key (status {StatusCode}). Sending is paused and tried again every {Interval}; events wait in {Backlog} meanwhile. " +
            "Set a valid key in ThriveStack:ApiKey (environment variable ThriveStack__ApiKey); the key is in the ThriveStack dashboard under Settings → API Keys.")]
        public static partial void KeyRefused(ILogger logger, string api, int statusCode, TimeSpan interval, string backlog);

        [LoggerMessage(LogEvents.KeyAccepted, LogLevel.Information,
            "ThriveStack: the {Api} API accepts the API key again after {Duration}; sending resumes.")]
        public static partial void KeyAccepted(ILogger logger, string api, TimeSpan duration);

        [LoggerMessage(LogEvents.DeliveryResumed, LogLevel.Information, "ThriveStack: the {Api} API takes events again; sending resumes.")]
        public static partial void DeliveryResumed(ILogger logger, string api);

        [LoggerMessage(LogEvents.EndpointRedirected, LogLevel.Warning,
            "ThriveStack: the {Api} API endpoint {Endpoint} answered {StatusCode}, a redirect to {Location}. Events are never posted to a redirect target; they wait in {Backlog} and are retried. " +
            "Set ThriveStack:{Setting} to the address that accepts them.")]
        public static partial void EndpointRedirected(ILogger logger, string api, string endpoint, int statusCode, string location, string backlog, string setting);

        [LoggerMessage(LogEvents.NotTheApi, LogLevel.Warning,
            "ThriveStack: the {Api} API endpoint {Endpoint} answered {StatusCode} with '{ContentType}', not the API's JSON (a proxy, captive portal or wrong endpoint?). " +
            "The batch is not counted as delivered; events wait in {Backlog} and are retried. Check ThriveStack:{Setting} and the network path to it.")]
        public static partial void NotTheApi(ILogger logger, string api, string endpoint, int statusCode, string contentType, string backlog, string setting);
    }
}
