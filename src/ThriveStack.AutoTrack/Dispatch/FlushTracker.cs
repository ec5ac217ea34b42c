namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// What <c>FlushAsync</c> waits for: every event accepted before the call resolved (sent, dropped, or put in the
/// backlog) and the backlog settled (empty, or delivery paused so that it cannot empty now).
/// </summary>
/// <remarks>
/// Threads: producers count accepted events (<see cref="Accepted"/>, lock-free); the collecting and sending loops count
/// resolved ones and release waiters; callers of <c>FlushAsync</c> register. The waiter list has its own lock, held
/// only for list work and the cheap drained test, never across an await.
/// </remarks>
/// <param name="backlogSettled">Whether the backlog is empty or delivery is paused; read under the lock, so it must be cheap.</param>
internal sealed class FlushTracker(Func<bool> backlogSettled)
{
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _accepted;
    private long _resolved;

    /// <summary>True while someone waits for a flush: the collector sends a partial batch at once.</summary>
    public bool Requested
    {
        get
        {
            lock (_lock)
                return _waiters.Count > 0;
        }
    }

    /// <summary>One more event was accepted into the queue.</summary>
    public void Accepted() => Interlocked.Increment(ref _accepted);

    /// <summary>
    /// A task that completes when everything accepted so far is resolved and the backlog settled; null when that is
    /// already so. The caller wakes the loops when it gets a task.
    /// </summary>
    public Task? Register()
    {
        var target = Interlocked.Read(ref _accepted);
        lock (_lock)
        {
            if (Drained(target))
                return null;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            return done.Task;
        }
    }

    /// <summary><paramref name="count"/> accepted events left the queue for good (sent, dropped, or into the backlog).</summary>
    public void Resolve(long count)
    {
        Interlocked.Add(ref _resolved, count);
        Release();
    }

    /// <summary>Completes the waits that are now done (after the backlog or the delivery state changed).</summary>
    public void Release()
    {
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (Drained(_waiters[i].Target))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes every wait: the loops have ended, nothing more will happen.</summary>
    public void ReleaseAll()
    {
        lock (_lock)
        {
            foreach (var (_, done) in _waiters)
                done.TrySetResult();
            _waiters.Clear();
        }
    }

    private bool Drained(long target) => Interlocked.Read(ref _resolved) >= target && backlogSettled();
}
