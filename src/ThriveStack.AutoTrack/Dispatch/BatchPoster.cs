using System.Buffers;
using ThriveStack.AutoTrack.Diagnostics;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// One request: a whole batch goes from its own buffer; a range of it (a split batch's half) is written into a reusable
/// body buffer (one per request in flight, made when first needed). Posts it through the transport and times it. A
/// transport that throws is a transient failure; only the stop deadline's cancellation passes through.
/// </summary>
/// <remarks>Threads: the sending loop only; the requests of one round run at once, each on its own buffer.</remarks>
internal sealed class BatchPoster(IBatchTransport transport, RecordKind kind, TimeProvider time, ThriveStackMetrics metrics, int maxInFlight, CancellationToken abort)
{
    private readonly ArrayBufferWriter<byte>?[] _bodies = new ArrayBufferWriter<byte>?[Math.Max(1, maxInFlight)];

    /// <summary>
    /// Posts events [start, start + count) of <paramref name="batch"/>: all of them from the batch's buffer, fewer from
    /// body buffer <paramref name="slot"/>.
    /// </summary>
    public async Task<SendResult> PostAsync(PendingBatch batch, int start, int count, int slot = 0)
    {
        ReadOnlyMemory<byte> content;
        if (start == 0 && count == batch.Count)
        {
            content = batch.WholeBody();
        }
        else
        {
            var body = _bodies[slot] ??= new ArrayBufferWriter<byte>(16 * 1024);
            body.ResetWrittenCount();
            batch.WriteBody(body, start, count);
            content = body.WrittenMemory;
        }
        var started = time.GetTimestamp();
        SendResult result;
        try
        {
            result = await transport.SendAsync(kind, content, count, abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            result = new SendResult(SendOutcome.Transient, 0, Error: ex.GetType().Name);
        }
        metrics.BatchSent(result.OutcomeTag, time.GetElapsedTime(started));
        return result;
    }
}
