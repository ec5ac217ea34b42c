using Microsoft.Extensions.Hosting;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The three pipelines, one per endpoint (track, identify, group), as one hosted service: they start together, stop
/// together within one <see cref="ThriveStackOptions.ShutdownTimeout"/>, and a flush waits for all three. Each has its own
/// queue, batches, pause state and spool, so a failing endpoint delays only its own records.
/// </summary>
internal sealed class DeliveryPipelines : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly EventDispatcher[] _pipelines; // by RecordKind

    public DeliveryPipelines(EventDispatcher track, EventDispatcher identify, EventDispatcher group)
    {
        if (track.Kind != RecordKind.Track || identify.Kind != RecordKind.Identify || group.Kind != RecordKind.Group)
            throw new ArgumentException("Each pipeline must deliver its own kind of record.");
        _pipelines = [track, identify, group];
    }

    /// <summary>The track events' pipeline.</summary>
    public EventDispatcher Track => _pipelines[(int)RecordKind.Track];

    /// <summary>All three, track first.</summary>
    public IReadOnlyList<EventDispatcher> All => _pipelines;

    /// <summary>The pipeline of <paramref name="kind"/>.</summary>
    public EventDispatcher this[RecordKind kind] => _pipelines[(int)kind];

    /// <summary>Completes when every record accepted before the call, of any kind, has been sent or dropped (see <see cref="EventDispatcher.FlushAsync"/>).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
        => Task.WhenAll(_pipelines.Select(p => p.FlushAsync(cancellationToken)));

    public Task StartAsync(CancellationToken cancellationToken)
        => Task.WhenAll(_pipelines.Select(p => p.StartAsync(cancellationToken)));

    /// <summary>Stops the three at once, so together they take no longer than one <see cref="ThriveStackOptions.ShutdownTimeout"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
        => Task.WhenAll(_pipelines.Select(p => p.StopAsync(cancellationToken)));

    /// <summary>Disposes the three (the container knows only the track pipeline, as a service of its own): their spools' locks are released.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var pipeline in _pipelines)
            await pipeline.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>For containers disposed synchronously (see <see cref="EventDispatcher.Dispose"/>).</summary>
    public void Dispose()
    {
        foreach (var pipeline in _pipelines)
            pipeline.Dispose();
    }
}
