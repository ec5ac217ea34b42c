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
internal sealed class WakeSignal(TimeProvider time)
{
    /// <summary>How far the clock may move while a timer is armed before it is armed again.</summary>
    private static readonly TimeSpan TimerArmingSlack = TimeSpan.FromMilliseconds(1);

    private TaskCompletionSource _signal = New();

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
    /// The owning loop: waits until set or until <paramref name="remaining"/> reaches zero. A timer counts from the
    /// clock's reading when it is armed; if the clock moves between measuring what remains and arming the timer (a
    /// test's fake clock jumping ahead, or a thread preempted there), the timer would fire late by that much, so it is
    /// armed again.
    /// </summary>
    public async Task WaitAsync(Func<TimeSpan> remaining)
    {
        var wake = Volatile.Read(ref _signal).Task;
        while (true)
        {
            var left = remaining();
            if (left <= TimeSpan.Zero)
                return;
            using var stopTimer = new CancellationTokenSource();
            var deadline = Task.Delay(left, time, stopTimer.Token);
            if (remaining() < left - TimerArmingSlack)
            {
                stopTimer.Cancel();
                continue;
            }
            var first = await Task.WhenAny(wake, deadline).ConfigureAwait(false);
            stopTimer.Cancel(); // the timer goes now, without a thread-pool callback
            // A deadline completes on the timer's thread (the timer queue's, or with a fake clock the thread inside
            // Advance, a test's): leave it before the loop goes on. A wake-up already comes on a pool thread of its own.
            if (first == deadline)
                await Task.Yield();
            return;
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
