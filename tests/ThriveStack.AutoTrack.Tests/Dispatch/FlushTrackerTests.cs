using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

public class FlushTrackerTests
{
    private bool _settled = true;

    [Fact]
    public void Register_NothingAccepted_AlreadyDone()
    {
        var flush = new FlushTracker(() => _settled);

        Assert.Null(flush.Register());
        Assert.False(flush.Requested);
    }

    [Fact]
    public void Register_DoneOnlyWhenEveryEventAcceptedBeforeItIsResolved()
    {
        var flush = new FlushTracker(() => _settled);
        flush.Accepted();
        flush.Accepted();

        var done = flush.Register();
        flush.Accepted(); // after the call: not waited for
        flush.Resolve(1);

        Assert.NotNull(done);
        Assert.True(flush.Requested);
        Assert.False(done.IsCompleted);
        flush.Resolve(1);
        Assert.True(done.IsCompleted);
        Assert.False(flush.Requested);
    }

    [Fact]
    public void Register_EventsResolvedButBacklogNotSettled_WaitsUntilReleased()
    {
        var flush = new FlushTracker(() => _settled);
        flush.Accepted();
        _settled = false; // the backlog holds events and delivery is open

        var done = flush.Register()!;
        flush.Resolve(1);
        Assert.False(done.IsCompleted);

        _settled = true;
        flush.Release();
        Assert.True(done.IsCompleted);
    }

    [Fact]
    public void ReleaseAll_CompletesEveryWait()
    {
        var flush = new FlushTracker(() => _settled);
        flush.Accepted();
        var first = flush.Register()!;
        var second = flush.Register()!;

        flush.ReleaseAll();

        Assert.True(first.IsCompleted && second.IsCompleted);
        Assert.False(flush.Requested);
    }

    [Fact]
    public async Task ManyProducers_CountsAreExact()
    {
        var flush = new FlushTracker(() => _settled);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                flush.Accepted();
        })));
        var done = flush.Register()!;
        flush.Resolve(39_999);
        Assert.False(done.IsCompleted);
        flush.Resolve(1);

        Assert.True(done.IsCompleted);
    }
}
