namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>Waits, in real time, for something the dispatcher does on its own threads.</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="done"/> every 10 ms.</summary>
    /// <exception cref="TimeoutException">It did not hold within 10 s.</exception>
    public static async Task UntilAsync(Func<bool> done)
    {
        for (var waited = 0; !done(); waited += 10)
        {
            if (waited > 10_000)
                throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Delay(10);
        }
    }
}
