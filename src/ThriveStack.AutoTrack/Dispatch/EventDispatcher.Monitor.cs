namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>What a pipeline shows of itself (<see cref="IDeliveryMonitor"/>): read by metrics, the health check and tests, from any thread.</summary>
internal sealed partial class EventDispatcher
{
    /// <inheritdoc />
    public int QueueLength => _queue.Length;

    /// <inheritdoc />
    public long BacklogCount => _backlog.Backlog.Count;

    /// <inheritdoc />
    public long BacklogBytes => _backlog.Backlog.Bytes;

    /// <inheritdoc />
    public bool BacklogIsDurable => _backlog.Backlog.IsDurable;

    /// <summary>Sending, or paused and why.</summary>
    public DeliveryStatus Status => _gate.State.Status;

    /// <inheritdoc />
    public DeliveryState State => _gate.State;

    /// <summary>When a paused dispatcher tries again.</summary>
    public DateTimeOffset ResumeAt => _gate.State.ResumeAt;

    /// <summary>When the API last accepted a batch, or null.</summary>
    public DateTimeOffset? LastDeliveredAt => _gate.State.LastDeliveredAt;
}
