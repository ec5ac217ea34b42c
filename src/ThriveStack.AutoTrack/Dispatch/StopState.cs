namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// How far the dispatcher has got in stopping, read by every thread: <see cref="Stopping"/> (set once by
/// <c>StopAsync</c> or <c>Dispose</c>), the <see cref="Deadline"/> (cancelled when <see cref="ThriveStackOptions.ShutdownTimeout"/>
/// has passed, or at dispose) and <see cref="CollectorDone"/> (set by the collecting loop as it ends).
/// </summary>
internal sealed class StopState : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private volatile bool _stopping;
    private volatile bool _collectorDone;

    public StopState(TimeProvider time) => _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);

    /// <summary>True once stopping has begun: nothing new is accepted, and the spool is left alone.</summary>
    public bool Stopping => _stopping;

    /// <summary>True once the collecting loop has ended: nothing more will be handed to the sender.</summary>
    public bool CollectorDone => _collectorDone;

    /// <summary>Cancelled when the stop deadline passes: in-flight sends stop and what is left is spooled or counted.</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>True once the stop deadline has passed.</summary>
    public bool DeadlinePassed => _deadline.IsCancellationRequested;

    public void BeginStopping() => _stopping = true;

    public void CollectorEnded() => _collectorDone = true;

    /// <summary>Starts the stop deadline.</summary>
    public void CancelAfter(TimeSpan delay) => _deadline.CancelAfter(delay);

    /// <summary>Ends the deadline now (a host that will not wait, or dispose).</summary>
    public void Cancel() => _deadline.Cancel();

    public Task CancelAsync() => _deadline.CancelAsync();

    public void Dispose() => _deadline.Dispose();
}
