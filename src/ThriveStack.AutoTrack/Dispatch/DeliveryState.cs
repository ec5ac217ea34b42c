namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// What the delivery gate decided last, published as one immutable object: any thread (metrics, the health check) reads
/// a consistent status, resume time and last delivery without locks or torn reads.
/// </summary>
/// <param name="Status">Sending, or paused and why.</param>
/// <param name="ResumeAt">When a paused dispatcher tries again (meaningless while delivering).</param>
/// <param name="LastDeliveredAt">When the API last accepted a batch, or null.</param>
internal sealed record DeliveryState(DeliveryStatus Status, DateTimeOffset ResumeAt, DateTimeOffset? LastDeliveredAt)
{
    /// <summary>Before anything was sent.</summary>
    public static DeliveryState Initial { get; } = new(DeliveryStatus.Delivering, DateTimeOffset.MinValue, null);

    /// <summary>True while requests may go out.</summary>
    public bool IsOpen => Status == DeliveryStatus.Delivering;
}
