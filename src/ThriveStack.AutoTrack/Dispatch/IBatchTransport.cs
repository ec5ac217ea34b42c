namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Delivers one serialized batch (a JSON array of records of one kind) to its endpoint. The seam between batching and HTTP.</summary>
internal interface IBatchTransport
{
    /// <summary>Posts <paramref name="body"/> to the endpoint of <paramref name="kind"/>; never throws for an HTTP or network failure, only when <paramref name="cancellationToken"/> fires.</summary>
    Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken);
}
