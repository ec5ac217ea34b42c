using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class AcceptClockTests
{
    [Fact]
    public void AnyOtherProvider_IsAskedItself()
    {
        var time = new FakeTimeProvider();
        var stamp = AcceptClock.Now(time);

        Assert.Equal(time.GetTimestamp(), stamp);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), AcceptClock.Elapsed(time, stamp));
    }

    [Fact]
    public void SystemClock_StampsInMilliseconds_OfTheMonotonicTickCount()
    {
        var before = Environment.TickCount64;
        var stamp = AcceptClock.Now(TimeProvider.System);
        var after = Environment.TickCount64;

        Assert.InRange(stamp, before, after);
        // A stamp a minute old reads as about a minute, not as Stopwatch ticks would (days); the slack is for a slow machine.
        Assert.InRange(AcceptClock.Elapsed(TimeProvider.System, stamp - 60_000), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void SystemClock_NeverRunsBackwards()
    {
        var previous = AcceptClock.Now(TimeProvider.System);
        for (var i = 0; i < 10_000; i++)
        {
            var next = AcceptClock.Now(TimeProvider.System);
            Assert.True(next >= previous);
            Assert.True(AcceptClock.Elapsed(TimeProvider.System, previous) >= TimeSpan.Zero);
            previous = next;
        }
    }
}
