namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Bounds how long the collecting loop keeps a core in one go: once it has worked for <see cref="DefaultLength"/>
/// since it woke (or since it last gave way), it gives way (<see cref="Thread.Yield"/>), so request threads waiting
/// for the same core run first.
/// </summary>
/// <remarks>
/// Without it, a 500-event batch is serialized in one stretch of about 0.4 ms. On a core that the app saturates (a
/// one-core container under load), the scheduler lets a running thread finish its time slice (about 0.75–3 ms on
/// Linux) before a woken request thread gets the core, so every request that arrives during the stretch waits for
/// it. Giving way is a hint, not a wait: with nothing else runnable it returns at once; the loop keeps its fair share
/// of the core either way. Threads: the collecting loop's own.
/// </remarks>
internal sealed class CpuSlice(TimeProvider time, TimeSpan length, Action giveWay)
{
    /// <summary>The longest stretch the collecting loop works before it gives way.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromMicroseconds(100);

    private long _start;

    /// <summary>The loop's default: <see cref="DefaultLength"/> on the given clock, giving way with <see cref="Thread.Yield"/>.</summary>
    public static CpuSlice Default(TimeProvider time) => new(time, DefaultLength, static () => Thread.Yield());

    /// <summary>The loop starts working (it woke, or started): a new stretch begins.</summary>
    public void Begin() => _start = time.GetTimestamp();

    /// <summary>Gives way if the current stretch has lasted <c>length</c>, and begins a new one. True when it gave way.</summary>
    public bool GiveWayIfDue()
    {
        if (time.GetElapsedTime(_start) < length)
            return false;
        giveWay();
        _start = time.GetTimestamp();
        return true;
    }
}
