using Microsoft.Extensions.Time.Testing;

namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>Moving a fake clock while the dispatcher's loops, which run on real threads, catch up.</summary>
internal static class FakeClock
{
    /// <summary>Advances the clock, then gives the loops 30 ms of real time to act on it.</summary>
    public static async Task AdvanceAsync(this FakeTimeProvider time, TimeSpan by)
    {
        time.Advance(by);
        await Task.Delay(30);
    }

    /// <summary>Advances the clock by <paramref name="step"/> until <paramref name="done"/>, at most by <paramref name="max"/>.</summary>
    /// <exception cref="TimeoutException">Not done by then; the message says how far the clock went, and <paramref name="describe"/> what was seen.</exception>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> done, TimeSpan step, TimeSpan max, Func<string>? describe = null)
    {
        for (var advanced = TimeSpan.Zero; !done(); advanced += step)
        {
            if (advanced > max)
                throw new TimeoutException($"Not done after advancing the clock by {advanced}{(describe is null ? "" : ": " + describe())}.");
            await time.AdvanceAsync(step);
        }
    }
}
