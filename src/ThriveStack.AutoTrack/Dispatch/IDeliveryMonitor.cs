namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// What the pipeline shows of itself to metrics and the health check: sizes read from their owners and the delivery
/// gate's published state. Every member is safe to read from any thread; none of them changes anything.
/// </summary>
internal interface IDeliveryMonitor
{
    /// <summary>False when no API key is configured: nothing is sent.</summary>
    bool IsSending { get; }

    /// <summary>Events waiting in memory.</summary>
    int QueueLength { get; }

    /// <summary>Events in the backlog (the spool, or memory), waiting for the API.</summary>
    long BacklogCount { get; }

    /// <summary>Bytes of event JSON in the backlog.</summary>
    long BacklogBytes { get; }

    /// <summary>True when the backlog survives a restart.</summary>
    bool BacklogIsDurable { get; }

    /// <summary>Sending or paused, why, until when, and the last delivery: one consistent snapshot.</summary>
    DeliveryState State { get; }
}
