using Microsoft.Extensions.Logging;

namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// A failure inside tracking that must never reach the app (the tracker, the page-visit middleware, the feature filter):
/// counted as a dropped event (reason <c>error</c>) and logged at most once every 10 seconds, with how many similar
/// failures were not logged.
/// </summary>
internal sealed partial class TrackingFailure
{
    private readonly ThriveStackMetrics _metrics;
    private readonly LogThrottle _throttle;
    private readonly Action<Exception, long> _log;

    private TrackingFailure(ThriveStackMetrics metrics, TimeProvider time, Action<Exception, long> log)
    {
        _metrics = metrics;
        _throttle = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _log = log;
    }

    /// <summary>For <c>Track</c> itself (log event <see cref="LogEvents.TrackFailed"/>, an error).</summary>
    public static TrackingFailure OfTrack(ThriveStackMetrics metrics, TimeProvider time, ILogger logger)
        => new(metrics, time, (ex, suppressed) => Log.TrackFailed(logger, ex, suppressed));

    /// <summary>For the page-visit middleware (log event <see cref="LogEvents.PageVisitFailed"/>).</summary>
    public static TrackingFailure OfPageVisit(ThriveStackMetrics metrics, TimeProvider time, ILogger logger)
        => new(metrics, time, (ex, suppressed) => Log.PageVisitFailed(logger, ex, suppressed));

    /// <summary>For <c>[TrackFeature]</c> / <c>[TrackEvent]</c> (log event <see cref="LogEvents.FeatureTrackingFailed"/>).</summary>
    public static TrackingFailure OfFeature(ThriveStackMetrics metrics, TimeProvider time, ILogger logger)
        => new(metrics, time, (ex, suppressed) => Log.FeatureTrackingFailed(logger, ex, suppressed));

    /// <summary>Counts the failure and logs it unless a line was written in the last 10 seconds.</summary>
    public void Report(Exception exception)
    {
        _metrics.Dropped(1, DropReasons.Error);
        if (_throttle.TryEnter(out var suppressed))
            _log(exception, suppressed);
    }

    private static partial class Log
    {
        [LoggerMessage(LogEvents.TrackFailed, LogLevel.Error,
            "ThriveStack: tracking an event failed unexpectedly; the event is dropped. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void TrackFailed(ILogger logger, Exception exception, long suppressed);

        [LoggerMessage(LogEvents.PageVisitFailed, LogLevel.Warning,
            "ThriveStack: tracking a page visit failed; the request is not affected. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void PageVisitFailed(ILogger logger, Exception exception, long suppressed);

        [LoggerMessage(LogEvents.FeatureTrackingFailed, LogLevel.Warning,
            "ThriveStack: tracking a feature failed; the action is not affected. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void FeatureTrackingFailed(ILogger logger, Exception exception, long suppressed);
    }
}
