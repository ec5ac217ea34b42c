using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.EventsPage;

/// <summary>Delivery in Development with no API key: each batch, serialized exactly as it would be sent, goes to the <see cref="LocalEventLog"/>.</summary>
internal sealed class LocalTransport(LocalEventLog log) : IBatchTransport
{
    public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
    {
        log.Record(kind, body, eventCount);
        return Task.FromResult(SendResult.Delivered(200));
    }
}
