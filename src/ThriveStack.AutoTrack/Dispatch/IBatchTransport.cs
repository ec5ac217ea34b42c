namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Delivers one serialized batch (a JSON array of track objects). The seam between batching and HTTP.</summary>
internal interface IBatchTransport
{
    /// <summary>Posts <paramref name="body"/>; never throws for an HTTP or network failure, only when <paramref name="cancellationToken"/> fires.</summary>
    Task<SendResult> SendAsync(ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken);
}
