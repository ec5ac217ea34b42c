using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>The dispatcher's log messages, shared by its parts (category <c>ThriveStack.AutoTrack.Dispatch.EventDispatcher</c>).</summary>
internal static partial class DispatchLog
{
    [LoggerMessage(LogEvents.ApiKeyMissing, LogLevel.Warning,
        "ThriveStack: no API key is configured, so events are not sent (they are counted as dropped with reason 'disabled'). " +
        "Set ThriveStack:ApiKey (environment variable ThriveStack__ApiKey); the key is in the ThriveStack dashboard under Settings → API Keys.")]
    public static partial void ApiKeyMissing(ILogger logger);

    [LoggerMessage(LogEvents.EventsKeptLocally, LogLevel.Information,
        "ThriveStack: no API key is configured, so in Development events are kept in this app, not sent: map app.MapThriveStackEvents() " +
        "and open /_thrivestack/events to see them. Set ThriveStack:ApiKey (environment variable ThriveStack__ApiKey, or user secrets) to send them to ThriveStack.")]
    public static partial void KeptLocally(ILogger logger);

    [LoggerMessage(LogEvents.DispatcherStarted, LogLevel.Information, "ThriveStack: sending {Kind} records to {Endpoint}")]
    public static partial void Started(ILogger logger, string kind, string endpoint);

    [LoggerMessage(LogEvents.SpoolUnavailable, LogLevel.Warning,
        "ThriveStack: the spool '{Path}' cannot be used ({ExceptionType}: {Problem}); events that cannot be sent at once wait in memory only. Set ThriveStack:SpoolPath to a writable location, or ThriveStack:Durability to Memory.")]
    public static partial void SpoolUnavailable(ILogger logger, string path, string exceptionType, string problem);

    [LoggerMessage(LogEvents.SpoolResumed, LogLevel.Information,
        "ThriveStack: events from an earlier run wait in the spool '{Path}' and are sent first (count: {Count}).")]
    public static partial void SpoolResumed(ILogger logger, string path, long count);

    [LoggerMessage(LogEvents.SpoolFull, LogLevel.Warning,
        "ThriveStack: the oldest events in {Backlog} were dropped to stay within its bound (reason 'spool_full', count: {Count}). Similar messages suppressed since the last one: {Suppressed}.")]
    public static partial void SpoolFull(ILogger logger, long count, string backlog, long suppressed);

    [LoggerMessage(LogEvents.BacklogFailed, LogLevel.Error, "ThriveStack: reading or writing the event backlog failed; sending retries later. Events that could not be written to it are dropped (reason 'error').")]
    public static partial void BacklogFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogEvents.EventTooLarge, LogLevel.Warning,
        "ThriveStack: a '{EventName}' event is larger than the batch byte limit and is dropped.")]
    public static partial void EventTooLarge(ILogger logger, string eventName);

    [LoggerMessage(LogEvents.EventNotSerializable, LogLevel.Warning,
        "ThriveStack: a '{EventName}' event could not be serialized ({ExceptionType}) and is dropped.")]
    public static partial void EventNotSerializable(ILogger logger, string eventName, string exceptionType);

    [LoggerMessage(LogEvents.QueuedEventsDropped, LogLevel.Warning,
        "ThriveStack: queued events were dropped (reason '{Reason}', count: {Count}).")]
    public static partial void QueuedEventsDropped(ILogger logger, long count, string reason);

    [LoggerMessage(LogEvents.SpoolWriteFailed, LogLevel.Warning,
        "ThriveStack: the spool '{Path}' cannot be written ({ExceptionType}: {Problem}); is the disk full or read-only? Delivery goes on: " +
        "events that cannot be sent at once wait in memory (bounded by MaxQueueSize), and delivered events are skipped until the spool can be written again. Similar messages suppressed since the last one: {Suppressed}.")]
    public static partial void SpoolWriteFailed(ILogger logger, string path, string exceptionType, string problem, long suppressed);

    [LoggerMessage(LogEvents.DispatcherFailed, LogLevel.Error,
        "ThriveStack: the event dispatcher failed unexpectedly.")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogEvents.EventRejected, LogLevel.Warning,
        "ThriveStack: the {Api} API rejected a '{EventName}' record (status {StatusCode}); it is dropped (reason 'rejected'), the rest of its batch is delivered.")]
    public static partial void EventRejected(ILogger logger, string api, string eventName, int statusCode);

    [LoggerMessage(LogEvents.EventUndeliverable, LogLevel.Warning,
        "ThriveStack: the {Api} API failed on a '{EventName}' record by itself {Failures} times ({Problem}) while it accepted the records around it; it is dropped (reason 'undeliverable'), and the rest are delivered.")]
    public static partial void EventUndeliverable(ILogger logger, string api, string eventName, int failures, string problem);
}
