using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Tracking;

/// <summary>
/// How the tracker reports a record it did not queue: counted on the drop counter of its kind, and logged at most once
/// per 10 seconds per cause (invalid; not queued), with the number of similar lines held back. The subject names the
/// event or endpoint, never a value.
/// </summary>
internal sealed partial class DropReport(TimeProvider time, ILogger logger)
{
    private readonly LogThrottle _notQueuedLog = new(time, TimeSpan.FromSeconds(10));
    private readonly LogThrottle _invalidLog = new(time, TimeSpan.FromSeconds(10));

    /// <summary>Counts and logs a record that breaks the contract; returns false, what <c>Track</c> returns.</summary>
    public bool Invalid(ThriveStackMetrics metrics, string subject, string problem)
    {
        metrics.Dropped(1, DropReasons.Invalid);
        if (_invalidLog.TryEnter(out var suppressed))
            Log.Invalid(logger, subject, problem, suppressed);
        return false;
    }

    /// <summary>Counts and logs a record the queue refused (full, or the host stopping); returns false.</summary>
    public bool NotQueued(ThriveStackMetrics metrics, string subject, string reason)
    {
        metrics.Dropped(1, reason);
        if (_notQueuedLog.TryEnter(out var suppressed))
            Log.NotQueued(logger, subject, reason, suppressed);
        return false;
    }

    /// <summary>The subject of a track event's lines.</summary>
    public static string Event(string? eventName) => "a '" + (eventName ?? "(none)") + "' event";

    /// <summary>The subject of an identify or group record's lines.</summary>
    public static string Record(Dispatch.RecordKind kind) => "a record for /api/" + Dispatch.RecordKinds.Name(kind);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.QueueFull, LogLevel.Warning,
            "ThriveStack: {Subject} was dropped ({Reason}); raise ThriveStack:MaxQueueSize if the queue is often full. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void NotQueued(ILogger logger, string subject, string reason, long suppressed);

        [LoggerMessage(LogEvents.EventInvalid, LogLevel.Warning,
            "ThriveStack: {Subject} was dropped because it is invalid: {Problem}. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void Invalid(ILogger logger, string subject, string problem, long suppressed);
    }
}
