using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The one pipe every event goes through, as a hosted service: it builds the pipeline's parts, starts its two loops,
/// stops them within <see cref="ThriveStackOptions.ShutdownTimeout"/> and disposes them. Producers write to the
/// <see cref="EventQueue"/> without waiting; the <see cref="BatchCollector"/> batches by count, bytes and time and hands
/// each batch over (<see cref="Handoff"/>) to the <see cref="BatchSender"/>, or, when the API cannot take it now, to the
/// backlog (<see cref="BacklogWriter"/>: the durable SQLite spool by default). The sender delivers the backlog first,
/// oldest events first, through <see cref="BatchDelivery"/>; the <see cref="DeliveryGate"/> decides when to pause and
/// resume; <see cref="FlushTracker"/> answers <see cref="FlushAsync"/>. docs/architecture.md draws it.
/// </summary>
/// <remarks>
/// Delivery is at least once: when a response is lost after the API accepted a batch, that batch is sent again.
/// Every event is counted exactly once as sent or dropped (by reason); events in the spool are neither yet.
/// </remarks>
internal sealed partial class EventDispatcher : IHostedService, IDeliveryMonitor, IAsyncDisposable, IDisposable
{
    // Set in the constructor, read by every thread. Each part says which thread runs it and where threads meet.
    private readonly ThriveStackOptions _options;
    private readonly IHostEnvironment? _environment;
    private readonly ILogger _logger;
    private readonly bool _local;                // Development without an API key: events go to the events page's log
    private readonly TimeSpan _flushInterval;
    private readonly StopState _stop;            // StopAsync and Dispose write, everyone reads
    private readonly EventQueue _queue;          // producers write, the collecting loop reads
    private readonly FlushTracker _flush;        // producers count, the loops resolve, FlushAsync waits; its own lock
    private readonly DeliveryGate _gate;         // the sending loop decides, anyone reads its published State
    private readonly BacklogWriter _backlog;     // both loops park; the backlog has its own lock
    private readonly WakeSignal _collectorWake;  // flush, stop, high-water mark, a fillable batch, a free slot
    private readonly WakeSignal _senderWake;     // a handed-over batch, a backlog to send, a resume, stop
    private readonly BatchCollector _collector;  // the collecting loop's
    private readonly BatchSender _sender;        // the sending loop's

    // Host lifecycle: StartAsync, StopAsync (under _stopLock) and Dispose.
    private readonly Lock _stopLock = new();
    private Task? _loops;
    private Task? _stopping;
    private int _disposed;

    public EventDispatcher(
        IBatchTransport transport,
        IOptions<ThriveStackOptions> options,
        TimeProvider time,
        ThriveStackMetrics metrics,
        ILogger<EventDispatcher> logger,
        IHostEnvironment? environment = null,
        LocalEventLog? eventsPage = null,
        RecordKind kind = RecordKind.Track)
    {
        Kind = kind;
        metrics = metrics.ForKind(kind);
        _options = options.Value;
        _environment = environment;
        _logger = logger;
        _local = eventsPage?.IsLocalDelivery == true;
        IsSending = _local || !string.IsNullOrWhiteSpace(_options.ApiKey);
        // Kept locally, an event should show on the events page by the time the developer looks.
        _flushInterval = _local && !_options.FlushIntervalIsSet ? TimeSpan.FromSeconds(1) : _options.FlushInterval;

        _stop = new StopState(time);
        _collectorWake = new WakeSignal(time);
        _senderWake = new WakeSignal(time);
        _flush = new FlushTracker(BacklogSettled);
        _queue = new EventQueue(_options.MaxQueueSize, _flush, Wake);
        _gate = new DeliveryGate(_options, time, logger, DeliveryStateChanged, kind: kind);
        _backlog = new BacklogWriter(_options, time, metrics, logger, _flush, _stop, _senderWake.Set);
        var handoff = new Handoff(_collectorWake, _senderWake);
        var delivery = new BatchDelivery(transport, kind, _options, time, metrics, logger, _gate, _flush, () => _backlog.Backlog, _backlog.Park, _stop.Deadline);
        _collector = new BatchCollector(_queue, handoff, _backlog, _gate, _flush, _stop, _collectorWake, _options, _flushInterval, time, metrics, logger);
        _sender = new BatchSender(delivery, _gate, handoff, _backlog, _flush, _stop, _senderWake, _flushInterval, _options.MaxBatchBytes, time, logger);
        // The loops wait on signals, not on cancellable channel waits (cancelling one of those costs an exception and a
        // thread-pool hop per batch): the stop deadline wakes them like any other reason to look again.
        _stop.Deadline.UnsafeRegister(static s => ((EventDispatcher)s!).Wake(), this);
    }

    /// <summary>Which records this pipeline delivers: track events, identify or group records.</summary>
    public RecordKind Kind { get; }

    /// <summary>False when no API key is configured (and events are not kept locally): nothing is queued and events are counted as <c>disabled</c>.</summary>
    public bool IsSending { get; }

    /// <summary>How long a batch waits to fill: <see cref="ThriveStackOptions.FlushInterval"/>, or 1 s for events kept locally in Development unless it is set.</summary>
    internal TimeSpan FlushInterval => _flushInterval;

    /// <summary>The backlog in use, for tests that inject its faults.</summary>
    internal IEventBacklog BacklogForTests => _backlog.Backlog;

    /// <summary>Queues an event without waiting. Returns null when accepted, else the drop reason.</summary>
    public string? TryEnqueue(IOutboundRecord trackEvent) => _queue.TryEnqueue(trackEvent);

    /// <summary>
    /// Completes when every event accepted before the call has been sent or dropped, and the backlog is empty; or, while
    /// delivery is paused (the API failing, rate limiting or refusing the key), once those events are in the backlog.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = _flush.Register();
        if (done is null)
            return Task.CompletedTask;
        Wake();
        return done.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The identify and group pipelines say nothing the track pipeline has said already.
        var track = Kind == RecordKind.Track;
        if (!IsSending)
        {
            if (track)
                DispatchLog.ApiKeyMissing(_logger);
            return Task.CompletedTask;
        }
        if (_loops is not null)
            return Task.CompletedTask;
        if (_local && track)
            DispatchLog.KeptLocally(_logger);
        else if (!_local)
            DispatchLog.Started(_logger, Kind.Name(), ThriveStackOptions.Display(_options.EndpointOf(Kind)));
        if (_options.Durability == EventDurability.Disk && !_local)
            _backlog.OpenSpool(_environment, Kind);
        _loops = Task.WhenAll(
            Task.Run(() => _collector.RunAsync(CollectorEnded), CancellationToken.None),
            Task.Run(_sender.RunAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    private void CollectorEnded()
    {
        _stop.CollectorEnded();
        _senderWake.Set();
    }

    /// <summary>
    /// Delivers what is queued within <see cref="ThriveStackOptions.ShutdownTimeout"/> and spools the rest. Idempotent:
    /// hosts may call it more than once, even concurrently (a test host stopping while the app's own <c>Run</c> also
    /// stops); every call awaits the same drain.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
            return _stopping ??= StopCoreAsync(cancellationToken);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _stop.BeginStopping();
        _queue.Complete();
        if (_loops is null)
        {
            _collector.DropQueued(DropReasons.Shutdown);
            return;
        }

        Wake();
        _stop.CancelAfter(_options.ShutdownTimeout);
        using var hostDeadline = cancellationToken.Register(static s => ((StopState)s!).Cancel(), _stop);
        try
        {
            await _loops.WaitAsync(_stop.Deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: in-flight sends are cancelled and the loops spool (or count as dropped) what is
            // left. That is local work; wait for it so nothing is lost before the host goes on.
            await WaitForLoopsAsync().ConfigureAwait(false);
        }
    }

    private async Task WaitForLoopsAsync()
    {
        try
        {
            await _loops!.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Task? stopping;
        lock (_stopLock)
            stopping = _stopping;
        if (stopping is not null)
            await stopping.ConfigureAwait(false); // never pull the token source from under a drain in progress
        _stop.BeginStopping();
        _queue.Complete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loops is not null)
            await WaitForLoopsAsync().ConfigureAwait(false);
        _backlog.Dispose();
        _stop.Dispose();
        _collectorWake.Dispose();
        _senderWake.Dispose();
    }

    /// <summary>For containers disposed synchronously: cancels the loops without waiting for them (they may still read the token).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.BeginStopping();
        _queue.Complete();
        _stop.Cancel();
    }

    /// <summary>Empties the queue without sending; for benchmarks that measure the producer side alone.</summary>
    internal void DrainForBenchmark()
    {
        while (_queue.TryDequeue(out _))
        {
        }
    }

    private void DeliveryStateChanged()
    {
        Wake(); // a pause parks new batches, a resume sends the backlog
        _flush.Release(); // a flush is done once its events wait in the backlog while paused
    }

    /// <summary>A flush is done once the backlog is empty, or while delivery is paused (its events then wait in the backlog).</summary>
    private bool BacklogSettled() => _backlog.Backlog.Count == 0 || !_gate.State.IsOpen;

    private void Wake()
    {
        _collectorWake.Set();
        _senderWake.Set();
    }
}
