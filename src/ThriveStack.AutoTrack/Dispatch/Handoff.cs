using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The one-batch slot between the collecting loop (its one writer) and the sending loop (its one reader). Handing over
/// wakes the sender; taking a batch wakes a collector that said it waits for the slot.
/// </summary>
internal sealed class Handoff(WakeSignal collectorWake, WakeSignal senderWake)
{
    private readonly Channel<PendingBatch> _slot = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private int _collectorWaiting; // 1 while the collector waits for the slot; the sender reads it

    /// <summary>True while a batch waits in the slot.</summary>
    public bool HasBatch => _slot.Reader.Count > 0;

    /// <summary>Puts a batch in the slot and wakes the sender; false when the slot is taken.</summary>
    public bool TryHandOver(PendingBatch batch)
    {
        if (!_slot.Writer.TryWrite(batch))
            return false;
        senderWake.Set();
        return true;
    }

    /// <summary>Takes the handed-over batch, if any, and wakes a collector waiting to hand over the next one.</summary>
    public bool TryTake([NotNullWhen(true)] out PendingBatch? batch)
    {
        if (!_slot.Reader.TryRead(out batch))
            return false;
        if (Volatile.Read(ref _collectorWaiting) != 0)
            collectorWake.Set();
        return true;
    }

    /// <summary>The collector says it waits for the slot (then tries once more), or that it no longer does.</summary>
    public void SetCollectorWaiting(bool waiting) => Volatile.Write(ref _collectorWaiting, waiting ? 1 : 0);
}
