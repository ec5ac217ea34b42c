namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The stamp each record gets when it is accepted (<see cref="IOutboundRecord.AcceptedAt"/>), from which the collecting
/// loop times a batch's flush deadline. Producers stamp every record and the loop reads one stamp per batch, so the
/// stamp is what <c>Track</c> pays for: with the system clock it is <see cref="Environment.TickCount64"/>, a coarse
/// monotonic clock (milliseconds; about 10 ns here against 30 ns for <see cref="TimeProvider.GetTimestamp"/>, which reads
/// the TSC). A deadline of seconds does not need more. Any other <see cref="TimeProvider"/> (a test's fake clock) is
/// asked itself, so its time is the only time there is.
/// </summary>
/// <remarks>Producers and the collecting loop must stamp and read with the same provider: both get the app's one
/// <see cref="TimeProvider"/> from the container.</remarks>
internal static class AcceptClock
{
    /// <summary>Now, as a stamp of <paramref name="time"/>'s accept clock.</summary>
    public static long Now(TimeProvider time) => ReferenceEquals(time, TimeProvider.System) ? Environment.TickCount64 : time.GetTimestamp();

    /// <summary>The time since <paramref name="stamp"/> (from <see cref="Now"/> with the same provider).</summary>
    public static TimeSpan Elapsed(TimeProvider time, long stamp)
        => ReferenceEquals(time, TimeProvider.System)
            ? TimeSpan.FromMilliseconds(Environment.TickCount64 - stamp)
            : time.GetElapsedTime(stamp);
}
