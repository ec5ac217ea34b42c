namespace ThriveStack.AutoTrack.Tests.Infrastructure;

/// <summary>Waits, in real time, for something the dispatcher does on its own threads.</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="done"/> every 10 ms.</summary>
    /// <exception cref="TimeoutException">It did not hold within 10 s.</exception>
    public static Task UntilAsync(Func<bool> done) => UntilAsync(done, static () => string.Empty);

    /// <summary>Polls <paramref name="done"/> every 10 ms; on timeout the message ends with what <paramref name="state"/> says.</summary>
    /// <exception cref="TimeoutException">It did not hold within 10 s.</exception>
    public static async Task UntilAsync(Func<bool> done, Func<string> state)
    {
        for (var waited = 0; !done(); waited += 10)
        {
            if (waited > 10_000)
                throw new TimeoutException("The condition did not hold within 10 s. " + state());
            await Task.Delay(10);
        }
    }
}
