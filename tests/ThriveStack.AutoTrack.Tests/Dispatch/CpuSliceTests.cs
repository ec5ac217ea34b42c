using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>When the collecting loop gives its core away: after a stretch of work as long as the slice, never before.</summary>
public sealed class CpuSliceTests
{
    private readonly FakeTimeProvider _time = new();
    private int _gaveWay;

    private CpuSlice Slice() => new(_time, TimeSpan.FromMicroseconds(100), () => _gaveWay++);

    [Fact]
    public void ShorterThanTheSlice_KeepsTheCore()
    {
        var slice = Slice();
        slice.Begin();
        _time.Advance(TimeSpan.FromMicroseconds(99));

        Assert.False(slice.GiveWayIfDue());
        Assert.Equal(0, _gaveWay);
    }

    [Fact]
    public void AsLongAsTheSlice_GivesWayOnce_ThenANewStretchBegins()
    {
        var slice = Slice();
        slice.Begin();
        _time.Advance(TimeSpan.FromMicroseconds(100));

        Assert.True(slice.GiveWayIfDue());
        Assert.False(slice.GiveWayIfDue());
        _time.Advance(TimeSpan.FromMicroseconds(60));
        Assert.False(slice.GiveWayIfDue());
        _time.Advance(TimeSpan.FromMicroseconds(40));
        Assert.True(slice.GiveWayIfDue());
        Assert.Equal(2, _gaveWay);
    }

    [Fact]
    public void Begin_AfterASleep_StartsTheStretchAgain()
    {
        var slice = Slice();
        slice.Begin();
        _time.Advance(TimeSpan.FromMicroseconds(90));
        slice.Begin(); // the loop slept and woke: the time before does not count
        _time.Advance(TimeSpan.FromMicroseconds(90));

        Assert.False(slice.GiveWayIfDue());
        Assert.Equal(0, _gaveWay);
    }

    [Fact]
    public void Default_GivesWayAfterTheDefaultLength()
    {
        var slice = CpuSlice.Default(_time);
        slice.Begin();
        _time.Advance(CpuSlice.DefaultLength - TimeSpan.FromTicks(1));
        Assert.False(slice.GiveWayIfDue());

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.True(slice.GiveWayIfDue()); // Thread.Yield: returns whether or not another thread ran
        Assert.Equal(TimeSpan.FromMicroseconds(100), CpuSlice.DefaultLength);
    }
}
