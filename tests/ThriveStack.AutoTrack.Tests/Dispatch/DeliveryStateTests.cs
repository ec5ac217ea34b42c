using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The gate's published state: one immutable value, open only while delivering.</summary>
public class DeliveryStateTests
{
    [Fact]
    public void Initial_IsOpen_NothingDeliveredYet()
    {
        Assert.True(DeliveryState.Initial.IsOpen);
        Assert.Equal(DeliveryStatus.Delivering, DeliveryState.Initial.Status);
        Assert.Null(DeliveryState.Initial.LastDeliveredAt);
    }

    [Theory]
    [InlineData("Retrying")]
    [InlineData("RateLimited")]
    [InlineData("KeyRefused")]
    public void Paused_IsNotOpen(string status)
    {
        var state = DeliveryState.Initial with { Status = Enum.Parse<DeliveryStatus>(status), ResumeAt = DateTimeOffset.UnixEpoch };

        Assert.False(state.IsOpen);
        Assert.True(DeliveryState.Initial.IsOpen); // a change is a new value: what a reader holds never changes under it
    }
}
