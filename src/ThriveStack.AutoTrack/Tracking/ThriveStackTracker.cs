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
    private readonly Configuration.LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _nameVerdicts = new(StringComparer.Ordinal);
    private readonly DropReport _drops;
    private readonly TrackingFailure _failure;
    private readonly IHttpContextAccessor? _httpContext; // the app's, when it registers one (AutoTrack does not)
    private readonly RequestEnricher? _enricher;
    private readonly DeliveryPipelines? _pipelines;   // all three, for FlushAsync; null in benchmarks that build the track pipeline alone
    private readonly UserAndGroupCalls? _userAndGroup; // identify and group

    public ThriveStackTracker(
        EventDispatcher dispatcher,
        IOptionsMonitor<ThriveStackOptions> options,
        TimeProvider time,
        ThriveStackMetrics metrics,
        ILogger<ThriveStackTracker> logger,
        IHttpContextAccessor? httpContext = null,
        RequestEnricher? enricher = null,
        DeliveryPipelines? pipelines = null,
        UserAndGroupCalls? userAndGroup = null)
    {
        _pipelines = pipelines;
        _userAndGroup = userAndGroup;
        _httpContext = httpContext;
        _enricher = enricher;
        _dispatcher = dispatcher;
        _options = new Configuration.LiveOptions(options);
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _drops = new DropReport(time, logger);
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
            return _userAndGroup?.Identify(user, CurrentHttpContext) ?? NotSent(RecordKind.Identify);
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
            return _userAndGroup?.Group(group, CurrentHttpContext) ?? NotSent(RecordKind.Group);
        }
        catch (Exception ex)
        {
            _failure.Report(ex);
            return false;
        }
    }

    /// <summary>A tracker built without the identify and group pipelines (benchmarks): the record is counted as <c>disabled</c>, never lost unseen.</summary>
    private bool NotSent(RecordKind kind)
    {
        _metrics.ForKind(kind).Dropped(1, DropReasons.Disabled);
        return false;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
        => _pipelines?.FlushAsync(cancellationToken) ?? _dispatcher.FlushAsync(cancellationToken);

    private bool TrackCore(ThriveStackEvent? trackEvent)
    {
        if (trackEvent is null)
            return Invalid(null, "the event is null");
        if (!_dispatcher.IsSending || !_options.Current.Enabled)
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

        trackEvent.AcceptedAt = AcceptClock.Now(_time);
        var dropReason = _dispatcher.TryEnqueue(trackEvent);
        if (dropReason is null)
        {
            _metrics.Enqueued();
            return true;
        }

        return _drops.NotQueued(_metrics, DropReport.Event(trackEvent.EventName), dropReason);
    }

    /// <summary>
    /// Inside a request, the request's ids where the caller left them empty, and its user-agent properties
    /// (<see cref="RequestEnricher"/>); and, for a signed-in user first seen in this session, the automatic identify and group.
    /// </summary>
    private void AddRequestContext(ThriveStackEvent trackEvent)
    {
        if (_enricher is null || CurrentHttpContext is not { } http)
            return;
        _enricher.Enrich(trackEvent, http);
        if (_userAndGroup is not null && VisitorIdentity.CurrentUser(http)?.Identity?.IsAuthenticated == true)
            _userAndGroup.IdentifyAutomatically(http);
    }

    /// <summary>
    /// The request this call is made during: the app's accessor's when it registered one (AutoTrack then adds no
    /// middleware of its own), else <see cref="CurrentRequest"/>'s. Never the one, then the other: a flow that enters
    /// another app in the same process (a test host) would find the outer app's request.
    /// </summary>
    private HttpContext? CurrentHttpContext => _httpContext is not null ? _httpContext.HttpContext : CurrentRequest.Context;

    private bool IsNameAllowed(string eventName)
    {
        if (_nameVerdicts.TryGetValue(eventName, out var conventional))
            return conventional || !_options.Current.StrictEventNames;

        conventional = EventNameConvention.IsConventional(eventName);
        var firstTime = _nameVerdicts.Count < MaxRememberedNames && _nameVerdicts.TryAdd(eventName, conventional);
        if (conventional)
            return true;

        var strict = _options.Current.StrictEventNames;
        if (firstTime)
            Log.EventNameUnconventional(_logger, eventName, strict ? "rejected (StrictEventNames is on)" : "sent anyway");
        return !strict;
    }

    private bool Invalid(string? eventName, string problem) => _drops.Invalid(_metrics, DropReport.Event(eventName), problem);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.EventNameUnconventional, LogLevel.Warning,
            "ThriveStack: the event name '{EventName}' breaks the naming convention (object + past-tense verb in snake_case, e.g. report_exported); {Action}. This is reported once per name.")]
        public static partial void EventNameUnconventional(ILogger logger, string eventName, string action);
    }
}
