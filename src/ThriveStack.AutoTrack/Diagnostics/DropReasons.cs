namespace ThriveStack.AutoTrack.Diagnostics;

/// <summary>
/// The values of the <c>reason</c> tag on the <c>thrivestack.events.dropped</c> counter. Every event that is
/// not delivered is counted under exactly one of them.
/// </summary>
public static class DropReasons
{
    /// <summary><c>disabled</c>: tracking is off (<c>Enabled = false</c>) or no API key is configured.</summary>
    public const string Disabled = "disabled";

    /// <summary><c>queue_full</c>: the in-memory queue held <c>MaxQueueSize</c> events.</summary>
    public const string QueueFull = "queue_full";

    /// <summary><c>invalid</c>: a required field is missing or a size bound is broken.</summary>
    public const string Invalid = "invalid";

    /// <summary><c>invalid_name</c>: the name breaks the naming convention and <c>StrictEventNames</c> is on.</summary>
    public const string InvalidName = "invalid_name";

    /// <summary><c>too_large</c>: the serialized event is larger than the batch byte limit or <see cref="Events.EventLimits.MaxEventBytes"/>.</summary>
    public const string TooLarge = "too_large";

    /// <summary><c>rejected</c>: the track API rejected the event itself (400 once the event was isolated from the rest of its batch).</summary>
    public const string Rejected = "rejected";

    /// <summary>
    /// <c>undeliverable</c>: the track API failed (5xx, a timeout) on the event by itself, every time, while it accepted
    /// the events around it: 5 times, with backoff, across restarts. Logged with the event's name, never its values.
    /// </summary>
    public const string Undeliverable = "undeliverable";

    /// <summary><c>spool_full</c>: the oldest events were pushed out of the spool by <c>MaxSpoolBytes</c> (or, memory-only, by <c>MaxQueueSize</c>).</summary>
    public const string SpoolFull = "spool_full";

    /// <summary><c>shutdown</c>: the host stopped before the event could be sent and there is no spool to keep it (<c>Durability = Memory</c>).</summary>
    public const string Shutdown = "shutdown";

    /// <summary><c>error</c>: an unexpected exception inside AutoTrack (logged with its details).</summary>
    public const string Error = "error";
}
