using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Puts events that cannot be sent now into the backlog: the durable SQLite spool (opened by <see cref="OpenSpool"/>) or
/// memory. Evictions to stay within the bound are counted as <c>spool_full</c>; after the stop deadline, without a
/// durable spool, events are dropped as <c>shutdown</c>. Fresh events it takes are resolved for <c>FlushAsync</c>.
/// </summary>
/// <remarks>
/// Threads: both loops park batches here; the backlog has its own lock. <see cref="Backlog"/> is replaced once, by
/// <see cref="OpenSpool"/> in <c>StartAsync</c>, before the loops start.
/// </remarks>
internal sealed class BacklogWriter(
    ThriveStackOptions options,
    TimeProvider time,
    ThriveStackMetrics metrics,
    ILogger logger,
    FlushTracker flush,
    StopState stop,
    Action wakeSender) : IDisposable
{
    private readonly LogThrottle _spoolFullLog = new(time, TimeSpan.FromSeconds(10));
    private readonly LogThrottle _spoolFailedLog = new(time, TimeSpan.FromMinutes(1));
    private IEventBacklog _backlog = new MemoryBacklog(options.MaxQueueSize, options.MaxSpoolBytes);

    /// <summary>The backlog in use: memory until <see cref="OpenSpool"/> replaces it.</summary>
    public IEventBacklog Backlog => _backlog;

    /// <summary>"the spool" or "memory", for log messages.</summary>
    public string Name => _backlog.IsDurable ? "the spool" : "memory";

    /// <summary>Opens the durable spool of <paramref name="kind"/> (<see cref="SpoolLocation.ForKind"/> of <see cref="ThriveStackOptions.SpoolPath"/> or the default); on failure, logs why and keeps memory.</summary>
    public void OpenSpool(IHostEnvironment? environment, RecordKind kind = RecordKind.Track)
    {
        var path = SpoolLocation.ForKind(options.SpoolPath is { Length: > 0 } configured ? configured : SpoolLocation.Default(environment), kind);
        try
        {
            _backlog = SpoolWithFallback.Open(path, options.MaxQueueSize, options.MaxSpoolBytes, SpoolWriteFailed);
            if (_backlog.Count > 0)
                DispatchLog.SpoolResumed(logger, path, _backlog.Count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException || SpoolFile.IsDatabaseError(ex))
        {
            DispatchLog.SpoolUnavailable(logger, path, ex.GetType().Name, ex.Message);
        }
    }

    private void SpoolWriteFailed(Exception ex)
    {
        if (_spoolFailedLog.TryEnter(out var suppressed))
        {
            var path = _backlog is SpoolWithFallback spool ? spool.Path : "(spool)";
            DispatchLog.SpoolWriteFailed(logger, path, ex.GetType().Name, ex.Message, suppressed);
        }
    }

    /// <summary>Parks a whole batch the sender will not take now, and disposes it.</summary>
    public void Park(PendingBatch batch)
    {
        using (batch)
            Park(batch, 0, batch.Count);
    }

    /// <summary>Parks part of a batch, or drops it once the stop deadline has passed without a durable backlog.</summary>
    public void Park(PendingBatch batch, int start, int count)
    {
        if (stop.Stopping && stop.DeadlinePassed && !_backlog.IsDurable)
            DropUnsent(count, DropReasons.Shutdown);
        else
            Append(batch, start, count);
    }

    private void Append(PendingBatch batch, int start, int count)
    {
        if (count == 0)
            return;
        try
        {
            var evicted = _backlog.Append(batch, start, count);
            metrics.Spooled(count);
            if (evicted > 0)
            {
                metrics.Dropped(evicted, DropReasons.SpoolFull);
                if (_spoolFullLog.TryEnter(out var suppressed))
                    DispatchLog.SpoolFull(logger, evicted, Name, suppressed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DispatchLog.BacklogFailed(logger, ex);
            metrics.Dropped(count, DropReasons.Error);
        }
        if (!batch.FromBacklog)
            flush.Resolve(count);
        // The sender may have found the backlog empty a moment ago (e.g. it just delivered the last of it and
        // resumed) and gone to sleep waiting for a handed-over batch; wake it, or the backlog would wait forever.
        wakeSender();
    }

    /// <summary>Counts events that will not be sent as dropped for <paramref name="reason"/>, logs it and resolves them.</summary>
    public void DropUnsent(long count, string reason)
    {
        if (count == 0)
            return;
        metrics.Dropped(count, reason);
        DispatchLog.QueuedEventsDropped(logger, count, reason);
        flush.Resolve(count);
    }

    /// <summary>At stop: a memory backlog's events are lost with the process; count them as <c>shutdown</c>.</summary>
    public void DropVolatileAtStop()
    {
        if (stop.Stopping && _backlog.DropVolatile() is var left and > 0)
        {
            metrics.Dropped(left, DropReasons.Shutdown);
            DispatchLog.QueuedEventsDropped(logger, left, DropReasons.Shutdown);
        }
    }

    public void Dispose() => _backlog.Dispose();
}
