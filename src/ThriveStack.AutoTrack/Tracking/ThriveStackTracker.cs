using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Identity;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>The single place where events enter the pipe: stamp, default, validate, queue; count and log every drop.</summary>
internal sealed partial class ThriveStackTracker : IThriveStackTracker
{
    // Verdicts on event names, so each unconventional name is reported once; bounded so dynamic names cannot grow it forever.
    private const int MaxRememberedNames = 1024;

    private readonly EventDispatcher _dispatcher;
    private readonly IOptionsMonitor<ThriveStackOptions> _options;
    private readonly TimeProvider _time;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _nameVerdicts = new(StringComparer.Ordinal);
    private readonly LogThrottle _queueFullLog;
    private readonly LogThrottle _invalidLog;
    private readonly TrackingFailure _failure;
    private readonly IHttpContextAccessor? _httpContext;
    private readonly RequestEnricher? _enricher;
    private readonly DeliveryPipelines? _pipelines;         // identify and group; null in benchmarks that build the track pipeline alone
    private readonly RequestContextResolver? _requestContext;
    private readonly AutoIdentify? _autoIdentify;

    public ThriveStackTracker(
        EventDispatcher dispatcher,
        IOptionsMonitor<ThriveStackOptions> options,
        TimeProvider time,
        ThriveStackMetrics metrics,
        ILogger<ThriveStackTracker> logger,
        IHttpContextAccessor? httpContext = null,
        RequestEnricher? enricher = null,
        DeliveryPipelines? pipelines = null,
        RequestContextResolver? requestContext = null,
        AutoIdentify? autoIdentify = null)
    {
        _pipelines = pipelines;
        _requestContext = requestContext;
        _autoIdentify = autoIdentify;
        _httpContext = httpContext;
        _enricher = enricher;
        _dispatcher = dispatcher;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _queueFullLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _invalidLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _failure = TrackingFailure.OfTrack(metrics, time, logger);
    }

    public bool Track(ThriveStackEvent trackEvent)
    {
        try
        {
            return TrackCore(trackEvent);
        }
        catch (Exception ex)
        {
            _failure.Report(ex); // tracking must never break the caller
            return false;
        }
    }

    public bool Identify(ThriveStackUser user)
    {
        try
        {
            return IdentifyCore(user);
        }
        catch (Exception ex)
        {
            _failure.Report(ex);
            return false;
        }
    }

    public bool Group(ThriveStackGroup group)
    {
        try
        {
            return GroupCore(group);
        }
        catch (Exception ex)
        {
            _failure.Report(ex);
            return false;
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
        => _pipelines?.FlushAsync(cancellationToken) ?? _dispatcher.FlushAsync(cancellationToken);

    private bool TrackCore(ThriveStackEvent? trackEvent)
    {
        if (trackEvent is null)
            return Invalid(null, "the event is null");
        if (!_dispatcher.IsSending || !_options.CurrentValue.Enabled)
        {
            _metrics.Dropped(1, DropReasons.Disabled);
            return false;
        }

        trackEvent.Timestamp ??= _time.GetUtcNow();
        AddRequestContext(trackEvent);
        EventValidator.ApplyDefaults(trackEvent);
        var problem = EventValidator.Validate(trackEvent);
        if (problem is not null)
            return Invalid(trackEvent.EventName, problem);

        if (!IsNameAllowed(trackEvent.EventName))
        {
            _metrics.Dropped(1, DropReasons.InvalidName);
            return false;
        }

        trackEvent.AcceptedAt = _time.GetTimestamp();
        var dropReason = _dispatcher.TryEnqueue(trackEvent);
        if (dropReason is null)
        {
            _metrics.Enqueued();
            return true;
        }

        _metrics.Dropped(1, dropReason);
        if (_queueFullLog.TryEnter(out var suppressed))
            Log.EventNotQueued(_logger, trackEvent.EventName, dropReason, suppressed);
        return false;
    }

    /// <summary>
    /// Inside a request, the request's ids where the caller left them empty, and its user-agent properties
    /// (<see cref="RequestEnricher"/>); and, for a signed-in user first seen in this session, the automatic identify and group.
    /// </summary>
    private void AddRequestContext(ThriveStackEvent trackEvent)
    {
        if (_enricher is null || _httpContext?.HttpContext is not { } http)
            return;
        _enricher.Enrich(trackEvent, http);
        if (_autoIdentify is not null && _requestContext is not null && _pipelines is not null && VisitorIdentity.CurrentUser(http)?.Identity?.IsAuthenticated == true)
            IdentifyAutomatically(http);
    }

    private void IdentifyAutomatically(HttpContext http)
    {
        var (user, group) = _autoIdentify!.Owed(http, RequestContextResolver.GetFeature(http), _requestContext!.Get(http), _options.CurrentValue.AutoIdentify);
        if (user is not null)
            Enqueue(RecordKind.Identify, TraitsRecord.Of(user, user.UserId, user.GroupId, _time.GetUtcNow()));
        if (group is not null)
            Enqueue(RecordKind.Group, TraitsRecord.Of(group, group.UserId, group.GroupId, _time.GetUtcNow()));
    }

    private bool IdentifyCore(ThriveStackUser? user)
    {
        if (user is null)
            return InvalidRecord(RecordKind.Identify, "the user is null");
        var request = SignedInRequest(out var http);
        var userId = user.UserId ?? request?.UserId;
        var groupId = user.GroupId ?? (userId == request?.UserId ? request?.GroupId : null);
        var queued = Enqueue(RecordKind.Identify, TraitsRecord.Of(user, userId, groupId, _time.GetUtcNow()));
        if (queued && http is not null && userId is not null)
            _autoIdentify?.Sent(CurrentSession(http), userId, null, _options.CurrentValue.AutoIdentify);
        return queued;
    }

    private bool GroupCore(ThriveStackGroup? group)
    {
        if (group is null)
            return InvalidRecord(RecordKind.Group, "the group is null");
        var request = SignedInRequest(out var http);
        var userId = group.UserId ?? request?.UserId;
        var groupId = group.GroupId ?? request?.GroupId;
        var queued = Enqueue(RecordKind.Group, TraitsRecord.Of(group, userId, groupId, _time.GetUtcNow()));
        if (queued && http is not null && userId is not null && groupId is not null)
            _autoIdentify?.Sent(CurrentSession(http), userId, groupId, _options.CurrentValue.AutoIdentify);
        return queued;
    }

    /// <summary>The current request's context when its user is signed in (an anonymous visitor's id is not a user to identify).</summary>
    private ThriveStackRequestContext? SignedInRequest(out HttpContext? http)
    {
        http = _httpContext?.HttpContext;
        if (http is null || _requestContext is null)
            return null;
        var request = _requestContext.Get(http);
        return request.IsAuthenticated ? request : null;
    }

    private string? CurrentSession(HttpContext http) => _requestContext?.Get(http).SessionId;

    /// <summary>Validates an identify or group record and queues it on its own pipeline; every drop counted (with its kind) and logged.</summary>
    private bool Enqueue(RecordKind kind, TraitsRecord record)
    {
        var metrics = _metrics.ForKind(kind);
        var pipeline = _pipelines?[kind];
        if (pipeline is null || !pipeline.IsSending || !_options.CurrentValue.Enabled)
        {
            metrics.Dropped(1, DropReasons.Disabled);
            return false;
        }
        var problem = record.Validate();
        if (problem is not null)
            return InvalidRecord(kind, problem);

        record.AcceptedAt = _time.GetTimestamp();
        var dropReason = pipeline.TryEnqueue(record);
        if (dropReason is null)
        {
            metrics.Enqueued();
            return true;
        }
        metrics.Dropped(1, dropReason);
        if (_queueFullLog.TryEnter(out var suppressed))
            Log.EventNotQueued(_logger, kind.Name(), dropReason, suppressed);
        return false;
    }

    private bool InvalidRecord(RecordKind kind, string problem)
    {
        _metrics.ForKind(kind).Dropped(1, DropReasons.Invalid);
        if (_invalidLog.TryEnter(out var suppressed))
            Log.RecordInvalid(_logger, kind.Name(), problem, suppressed);
        return false;
    }

    private bool IsNameAllowed(string eventName)
    {
        if (_nameVerdicts.TryGetValue(eventName, out var conventional))
            return conventional || !_options.CurrentValue.StrictEventNames;

        conventional = EventNameConvention.IsConventional(eventName);
        var firstTime = _nameVerdicts.Count < MaxRememberedNames && _nameVerdicts.TryAdd(eventName, conventional);
        if (conventional)
            return true;

        var strict = _options.CurrentValue.StrictEventNames;
        if (firstTime)
            Log.EventNameUnconventional(_logger, eventName, strict ? "rejected (StrictEventNames is on)" : "sent anyway");
        return !strict;
    }

    private bool Invalid(string? eventName, string problem)
    {
        _metrics.Dropped(1, DropReasons.Invalid);
        if (_invalidLog.TryEnter(out var suppressed))
            Log.EventInvalid(_logger, eventName ?? "(none)", problem, suppressed);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.QueueFull, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event was dropped ({Reason}); raise ThriveStack:MaxQueueSize if the queue is often full. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void EventNotQueued(ILogger logger, string eventName, string reason, long suppressed);

        [LoggerMessage(LogEvents.EventInvalid, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event was dropped because it is invalid: {Problem}. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void EventInvalid(ILogger logger, string eventName, string problem, long suppressed);

        [LoggerMessage(LogEvents.EventInvalid, LogLevel.Warning,
            "ThriveStack: a record for /api/{Kind} was dropped because it is invalid: {Problem}. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void RecordInvalid(ILogger logger, string kind, string problem, long suppressed);

        [LoggerMessage(LogEvents.EventNameUnconventional, LogLevel.Warning,
            "ThriveStack: the event name '{EventName}' breaks the naming convention (object + past-tense verb in snake_case, e.g. report_exported); {Action}. This is reported once per name.")]
        public static partial void EventNameUnconventional(ILogger logger, string eventName, string action);
    }
}
