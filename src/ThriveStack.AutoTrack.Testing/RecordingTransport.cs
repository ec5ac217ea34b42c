using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>The dispatcher's transport in tests: hands each batch, of any kind, to the <see cref="ThriveStackEventRecorder"/>.</summary>
internal sealed class RecordingTransport(ThriveStackEventRecorder recorder) : IBatchTransport
{
    public Task<SendResult> SendAsync(RecordKind kind, ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        => Task.FromResult(recorder.Receive(kind, body) ? SendResult.Delivered(200) : new SendResult(SendOutcome.Rejected, 400));
}
