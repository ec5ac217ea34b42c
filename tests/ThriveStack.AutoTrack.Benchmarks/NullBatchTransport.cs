using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>Accepts every batch at once: benchmarks measure the producer side, not the network.</summary>
internal sealed class NullBatchTransport : IBatchTransport
{
    public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        => Task.FromResult(SendResult.Delivered(200));
}
