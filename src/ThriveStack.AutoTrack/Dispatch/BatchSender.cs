using Microsoft.Extensions.Logging;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The sending loop: the backlog first, oldest events first (several batches at once while delivery is healthy), then
/// the batch the collector handed over; each through <see cref="BatchDelivery"/>. While the <see cref="DeliveryGate"/>
/// is closed it parks handed-over batches and sleeps until the gate's resume time, when the next batch is the probe.
/// At stop it leaves the durable spool alone, and ends when the collector has.
/// </summary>
/// <remarks>Threads: one loop runs it, the only caller of the delivery step and the gate's decisions.</remarks>
internal sealed class BatchSender(
    BatchDelivery delivery,
    DeliveryGate gate,
    Handoff handoff,
    BacklogWriter backlog,
    FlushTracker flush,
    StopState stop,
    WakeSignal wake,
    TimeSpan flushInterval,
    int maxBatchBytes,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync()
    {
        try
        {
            while (!stop.DeadlinePassed)
            {
                var state = gate.State;
                if (!state.IsOpen)
                {
                    ParkHandedOver();
                    if (stop.Stopping && stop.CollectorDone)
                        break; // paused at stop: what is left stays in the spool (or is counted as dropped)
                    if (state.ResumeAt > time.GetUtcNow())
                    {
                        await WaitAsync(state.ResumeAt).ConfigureAwait(false);
                        continue;
                    }
                    // Time to try again: the next batch is the probe; delivering it resumes sending.
                }
                else if (await TrySendBacklogConcurrentlyAsync().ConfigureAwait(false))
                {
                    continue;
                }

                PendingBatch? batch;
                try
                {
                    batch = NextBatch();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(ex);
                    continue;
                }
                if (batch is null)
                {
                    if (stop.CollectorDone)
                        break;
                    // Woken by a handed-over batch or a wake-up; the timeout is a safety net, so a missed wake-up can
                    // only delay the backlog, never strand it.
                    await WaitAsync(time.GetUtcNow() + flushInterval).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    using (batch)
                        await delivery.DeliverAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(ex); // e.g. the spool failing to remove delivered rows: keep the loop alive and try again later
                }
                finally
                {
                    if (batch.FromBacklog)
                        backlog.Backlog.Release(); // what was not delivered may be evicted by the bound again
                }
            }
        }
        catch (OperationCanceledException) when (stop.DeadlinePassed)
        {
        }
        catch (Exception ex)
        {
            DispatchLog.DispatcherFailed(logger, ex);
        }
        finally
        {
            ParkHandedOver();
            backlog.DropVolatileAtStop();
            flush.ReleaseAll();
        }
    }

    private async Task<bool> TrySendBacklogConcurrentlyAsync()
    {
        try
        {
            return await delivery.SendBacklogConcurrentlyAsync(stop.Stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex);
            return true; // look again after the backoff
        }
    }

    private void Failed(Exception ex)
    {
        DispatchLog.BacklogFailed(logger, ex);
        gate.Backoff();
    }

    /// <summary>The oldest backlog events, else the batch the collector handed over. At stop the spool is left alone: it is durable.</summary>
    private PendingBatch? NextBatch()
    {
        var events = backlog.Backlog;
        if (events.Count > 0 && !(stop.Stopping && events.IsDurable))
        {
            var batch = events.ReadOldest(delivery.ProbeSize, maxBatchBytes);
            if (batch.Count > 0)
                return batch;
            batch.Dispose();
        }
        return handoff.TryTake(out var handed) ? handed : null;
    }

    private void ParkHandedOver()
    {
        while (handoff.TryTake(out var batch))
            backlog.Park(batch);
    }

    /// <summary>Waits until <paramref name="until"/> or a wake-up (a handed-over batch is one), whichever comes first.</summary>
    private async Task WaitAsync(DateTimeOffset until)
    {
        if (wake.TryReset())
            return; // the caller checks its conditions again before waiting
        if (handoff.HasBatch)
            return; // handed over before the signal was re-armed
        await wake.WaitAsync(() => until - time.GetUtcNow()).ConfigureAwait(false);
    }
}
