namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Wakes one waiting loop (the collecting loop, or the sending loop), now or at its next wait, and lets it wait for
/// that or for a deadline on the injected clock. The pattern that keeps a wake-up from being lost: the loop calls
/// <see cref="TryReset"/>; if it was set, the loop looks at its conditions again before it waits.
/// </summary>
/// <remarks>
/// Threads: any thread may <see cref="Set"/>; only the loop that owns the signal resets it and waits on it, so the
/// signal object is replaced by one thread only.
/// </remarks>
internal sealed class WakeSignal(TimeProvider time) : IDisposable
{
    /// <summary>How far the clock may move while a timer is armed before it is armed again.</summary>
    private static readonly TimeSpan TimerArmingSlack = TimeSpan.FromMilliseconds(1);

    private TaskCompletionSource _signal = New();
    private ITimer? _timer; // the owning loop's deadline: created and armed by that loop only

    /// <summary>True when set and not yet reset.</summary>
    public bool IsSet => Volatile.Read(ref _signal).Task.IsCompleted;

    /// <summary>Wakes the loop, or makes its next wait return at once. Any thread; cheap when already set.</summary>
    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>The owning loop: re-arms the signal if it was set, and says so (then look again before waiting).</summary>
    public bool TryReset()
    {
        if (!IsSet)
            return false;
        Volatile.Write(ref _signal, New());
        return true;
    }

    /// <summary>The owning loop: waits until set. The continuation never runs on the setter's thread.</summary>
    public Task WaitAsync() => Volatile.Read(ref _signal).Task;

    /// <summary>
    /// The owning loop: waits until set or until <paramref name="remaining"/> reaches zero. The deadline is the loop's
    /// one timer, created on its first timed wait and armed again for each, which then sets the signal: a wait
    /// allocates no timer, cancellation source or task of its own (the collecting loop waits once per few dozen events
    /// under load). A timer counts from the clock's reading when it is armed; if the clock moves between measuring what
    /// remains and arming the timer (a test's fake clock jumping ahead, or a thread preempted there), the timer would
    /// fire late by that much, so it is armed again. The continuation never runs on the timer's thread, nor on the
    /// thread that moved a test's clock: the signal runs its continuations on the thread pool.
    /// </summary>
    public async Task WaitAsync(Func<TimeSpan> remaining)
    {
        var wake = Volatile.Read(ref _signal).Task;
        var timer = _timer ??= time.CreateTimer(static s => ((WakeSignal)s!).Set(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (true)
        {
            var left = remaining();
            if (left <= TimeSpan.Zero || wake.IsCompleted)
                return;
            timer.Change(left, Timeout.InfiniteTimeSpan);
            if (remaining() >= left - TimerArmingSlack)
                break;
        }
        await wake.ConfigureAwait(false);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); // woken for another reason: no late wake-up
    }

    /// <summary>Releases the timer; after the owning loop has ended.</summary>
    public void Dispose() => _timer?.Dispose();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
