using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>When an event's failure by itself counts against it: only if the API accepted other events since.</summary>
public class SuspectEventsTests
{
    [Fact]
    public void FirstFailure_CountsOnlyWhenTheLastRequestWasAccepted()
    {
        var up = new SuspectEvents();
        up.Accepted();
        var down = new SuspectEvents();
        down.Failed();

        Assert.True(up.FailureCounts(7));
        Assert.False(down.FailureCounts(7));
    }

    [Fact]
    public void LaterFailure_CountsOnlyWhenOthersWereAcceptedSince()
    {
        var suspects = new SuspectEvents();
        suspects.FailureCounts(7);
        suspects.Remember(70);

        Assert.False(suspects.FailureCounts(70)); // an outage in between: nothing was accepted
        suspects.Remember(71);
        suspects.Accepted();
        Assert.True(suspects.FailureCounts(71));
    }

    [Fact]
    public void Forget_NoLongerASuspect()
    {
        var suspects = new SuspectEvents();
        suspects.Remember(5);
        Assert.True(suspects.Contains(5));

        suspects.Forget(5);

        Assert.False(suspects.Contains(5));
        Assert.Equal(0, suspects.Count);
    }

    [Fact]
    public void Remember_Bounded()
    {
        var suspects = new SuspectEvents();

        for (var id = 0; id < 5_000; id++)
            suspects.Remember(id);

        Assert.InRange(suspects.Count, 1, 1024);
    }
}
