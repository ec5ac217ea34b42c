using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The stop flags and the stop deadline, on the fake clock.</summary>
public class StopStateTests
{
    [Fact]
    public void Deadline_PassesAfterTheShutdownTimeout_OnTheGivenClock()
    {
        var time = new FakeTimeProvider();
        using var stop = new StopState(time);

        stop.BeginStopping();
        stop.CancelAfter(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(stop.Stopping);
        Assert.False(stop.DeadlinePassed);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(stop.DeadlinePassed);
        Assert.True(stop.Deadline.IsCancellationRequested);
    }

    [Fact]
    public void Flags_StartClear_SetOnce()
    {
        using var stop = new StopState(new FakeTimeProvider());
        Assert.False(stop.Stopping);
        Assert.False(stop.CollectorDone);

        stop.CollectorEnded();
        stop.Cancel();

        Assert.True(stop.CollectorDone);
        Assert.True(stop.DeadlinePassed);
        Assert.False(stop.Stopping);
    }
}
