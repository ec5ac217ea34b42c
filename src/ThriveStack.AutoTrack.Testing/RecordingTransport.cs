using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>The dispatcher's transport in tests: hands each batch to the <see cref="ThriveStackEventRecorder"/>.</summary>
internal sealed class RecordingTransport(ThriveStackEventRecorder recorder) : IBatchTransport
{
    public Task<SendResult> SendAsync(ReadOnlyMemory<byte> body, int eventCount, CancellationToken cancellationToken)
        => Task.FromResult(recorder.Receive(body) ? SendResult.Delivered(200) : new SendResult(SendOutcome.Rejected, 400));
}
