using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The one-batch slot between the loops, and who it wakes.</summary>
public class HandoffTests
{
    private readonly WakeSignal _collector = new(new FakeTimeProvider());
    private readonly WakeSignal _sender = new(new FakeTimeProvider());

    [Fact]
    public void HandOver_OneSlot_WakesTheSender()
    {
        var handoff = new Handoff(_collector, _sender);
        using var first = TestBatches.Numbered(0, 2);
        using var second = TestBatches.Numbered(2, 2);

        Assert.True(handoff.TryHandOver(first));
        Assert.False(handoff.TryHandOver(second));

        Assert.True(_sender.IsSet);
        Assert.True(handoff.HasBatch);
    }

    [Fact]
    public void Take_ReturnsTheBatch_ThenNothing()
    {
        var handoff = new Handoff(_collector, _sender);
        using var batch = TestBatches.Numbered(0, 2);
        handoff.TryHandOver(batch);

        Assert.True(handoff.TryTake(out var taken));
        Assert.Same(batch, taken);
        Assert.False(handoff.TryTake(out _));
        Assert.False(handoff.HasBatch);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Take_WakesTheCollectorOnlyWhenItWaits(bool waiting, bool woken)
    {
        var handoff = new Handoff(_collector, _sender);
        using var batch = TestBatches.Numbered(0, 2);
        handoff.TryHandOver(batch);
        handoff.SetCollectorWaiting(waiting);

        handoff.TryTake(out _);

        Assert.Equal(woken, _collector.IsSet);
    }
}
