namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Exponential backoff with full jitter: after the n-th failure in a row, a random delay between a small floor and
/// min(<c>max</c>, <c>base</c> × 2^(n-1)). The floor (100 ms, or <c>base</c> when smaller) keeps a run of failures
/// from ever turning into a tight loop; the jitter keeps many app instances from retrying in step.
/// </summary>
internal sealed class RetryPolicy(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(100);
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The delay after <paramref name="failures"/> failures in a row (1 for the first).</summary>
    public TimeSpan Delay(int failures)
    {
        var ceiling = Ceiling(failures);
        var floor = baseDelay < Floor ? baseDelay : Floor;
        if (ceiling <= floor)
            return floor;
        return floor + (ceiling - floor) * _random.NextDouble();
    }

    /// <summary>The longest delay <see cref="Delay"/> can return after <paramref name="failures"/> failures.</summary>
    public TimeSpan Ceiling(int failures)
        => TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 30))));
}
