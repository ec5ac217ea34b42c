using Microsoft.Extensions.Time.Testing;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Tests.Infrastructure;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class WakeSignalTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryReset_OnlyWhenSet_AndRearms()
    {
        var signal = new WakeSignal(_time);

        Assert.False(signal.TryReset());
        signal.Set();
        signal.Set(); // setting twice is one wake-up
        Assert.True(signal.TryReset());
        Assert.False(signal.IsSet);
        Assert.False(signal.TryReset());
    }

    [Fact]
    public async Task WaitAsync_SetBeforeTheWait_ReturnsAtOnce()
    {
        var signal = new WakeSignal(_time);
        signal.Set();

        await signal.WaitAsync(() => TimeSpan.FromHours(1)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(signal.IsSet); // waiting does not consume it: the loop resets it when it looks again
    }

    [Fact]
    public async Task WaitAsync_SetDuringTheWait_Returns()
    {
        var signal = new WakeSignal(_time);
        var wait = signal.WaitAsync(() => TimeSpan.FromHours(1));
        Assert.False(wait.IsCompleted);

        signal.Set();

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_DeadlineOnTheInjectedClock_ReturnsWhenItPasses()
    {
        var signal = new WakeSignal(_time);
        var until = _time.GetUtcNow() + TimeSpan.FromSeconds(5);
        var wait = signal.WaitAsync(() => until - _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_NothingLeft_ReturnsAtOnce()
    {
        var signal = new WakeSignal(_time);

        await signal.WaitAsync(() => TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_ClockMovesWhileTheTimerIsArmed_StillReturnsAtTheDeadline()
    {
        var time = new ArmingJumpTimeProvider(TimeSpan.FromSeconds(3));
        var signal = new WakeSignal(time);
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(10);

        var wait = signal.WaitAsync(() => until - time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(7)); // 3 s moved while arming + 7 s = the deadline

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [ThreadStatic]
    private static bool t_insideAdvance;

    [Fact]
    public async Task WaitAsync_DeadlinePasses_DoesNotGoOnInsideTheCallThatMovedTheClock()
    {
        var signal = new WakeSignal(_time);
        var until = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        var wait = Continuation();
        Assert.False(wait.IsCompleted);

        // From a pool thread with no synchronization context, where a continuation would otherwise run inline.
        await Task.Run(() =>
        {
            t_insideAdvance = true;
            try
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
            finally
            {
                t_insideAdvance = false;
            }
        });

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));

        async Task<bool> Continuation()
        {
            await signal.WaitAsync(() => until - _time.GetUtcNow()).ConfigureAwait(false);
            return t_insideAdvance;
        }
    }

    [Fact]
    public async Task WaitAsync_OneTimerForAllWaits()
    {
        var time = new CountingTimeProvider();
        var signal = new WakeSignal(time);

        for (var i = 0; i < 3; i++)
        {
            var wait = signal.WaitAsync(() => TimeSpan.FromSeconds(5));
            signal.Set();
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(signal.TryReset());
        }

        Assert.Equal(1, time.TimersCreated);
    }

    [Fact]
    public async Task WaitAsync_WokenBeforeItsDeadline_TheDeadlineDoesNotWakeALaterWait()
    {
        var signal = new WakeSignal(_time);
        var timed = signal.WaitAsync(() => TimeSpan.FromSeconds(5));
        signal.Set();
        await timed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(signal.TryReset());

        var untimed = signal.WaitAsync(); // the collecting loop waiting for the sender, say
        await _time.AdvanceAsync(TimeSpan.FromSeconds(5)); // the first wait's deadline
        await Task.Delay(30);

        Assert.False(untimed.IsCompleted);
        Assert.False(signal.IsSet);
    }

    /// <summary>A fake clock that counts the timers made on it.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        public int TimersCreated { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimersCreated++;
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>A fake clock that jumps ahead once, while a timer is first being armed.</summary>
    private sealed class ArmingJumpTimeProvider(TimeSpan jump) : FakeTimeProvider
    {
        private bool _jumped;

        private void JumpOnce()
        {
            if (_jumped)
                return;
            _jumped = true;
            Advance(jump);
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => new JumpOnArming(this, base.CreateTimer(callback, state, dueTime, period));

        private sealed class JumpOnArming(ArmingJumpTimeProvider clock, ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                if (dueTime != Timeout.InfiniteTimeSpan)
                    clock.JumpOnce(); // the clock moves first, as between measuring what remains and arming
                return timer.Change(dueTime, period);
            }

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }
}
