using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.EventsPage;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The one pipe every event goes through. Producers write to an in-memory queue without waiting. A collecting loop
/// batches by count, bytes and time and hands each batch to a sending loop (one request in flight), or, when the API
/// cannot take it now, to the backlog: the durable SQLite spool by default. The sending loop delivers the backlog
/// first, oldest events first; retries transient failures with exponential backoff and full jitter; pauses for a 429's
/// <c>Retry-After</c> and while the API key is refused; and splits a batch the API rejects (400) until the offending
/// events are isolated. On stop it delivers what is queued within <see cref="ThriveStackOptions.ShutdownTimeout"/>,
/// spools the rest, and never waits longer.
/// </summary>
/// <remarks>
/// Delivery is at least once: when a response is lost after the API accepted a batch, that batch is sent again.
/// Every event is counted exactly once as sent or dropped (by reason); events in the spool are neither yet.
/// </remarks>
internal sealed partial class EventDispatcher : IHostedService, IDeliveryMonitor, IAsyncDisposable, IDisposable
{
    // Set in the constructor, read by every thread.
    private readonly IBatchTransport _transport;
    private readonly TimeProvider _time;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ThriveStackOptions _options;
    private readonly IHostEnvironment? _environment;
    private readonly bool _local;              // Development without an API key: events go to the events page's log
    private readonly TimeSpan _flushInterval;
    private readonly int _maxQueueSize;
    private readonly int _highWater;
    private readonly LogThrottle _spoolFullLog;
    private readonly LogThrottle _spoolFailedLog;

    // Where threads meet: each of these is safe for the threads that use it (see docs/architecture.md).
    private readonly Channel<ThriveStackEvent> _channel; // producers write, the collecting loop reads
    private readonly Channel<PendingBatch> _handoff;     // the one-batch slot: the collector writes, the sender reads
    private readonly DeliveryGate _gate;                  // the sender decides, anyone reads its State
    private readonly FlushTracker _flush;                 // producers count, the loops resolve, FlushAsync waits
    private readonly WakeSignal _wake;                    // the collecting loop's: flush, stop, high-water mark, a fillable batch, a free slot
    private readonly WakeSignal _senderWake;              // the sending loop's: a handed-over batch, a backlog to send, a resume, stop
    private readonly CancellationTokenSource _abort;      // the stop deadline: StopAsync cancels, the loops read
    private IEventBacklog _backlog;                       // replaced once, by StartAsync before the loops start; its own lock
    private int _queued;                                  // events in the queue: producers add, the collector subtracts (Interlocked)
    private int _waitingForSlot;                          // 1 while the collector waits for the slot; the sender reads it
    private int _fillWakeAt = int.MaxValue;               // queue length that fills the collector's batch: the collector writes, producers read
    private int _fillWakeArmed;                           // 1 while the collector sleeps on a partial batch; a producer clears it as it wakes it
    private volatile bool _stopping;                      // StopAsync and Dispose write, everyone reads
    private volatile bool _collectorDone;                 // the collector writes as it ends, the sender reads

    // The collecting loop's own.
    private readonly BatchBuffer _batch;
    private ThriveStackEvent? _carry; // the event that did not fit the last batch

    // The sending loop's own.
    private readonly BatchDelivery _delivery;


    // Host lifecycle: StartAsync, StopAsync (under _stopLock) and Dispose.
    private readonly Lock _stopLock = new();
    private Task? _loops;
    private Task? _stop;
    private int _disposed;

    public EventDispatcher(
        IBatchTransport transport,
        IOptions<ThriveStackOptions> options,
        TimeProvider time,
        ThriveStackMetrics metrics,
        ILogger<EventDispatcher> logger,
        IHostEnvironment? environment = null,
        LocalEventLog? eventsPage = null)
    {
        _transport = transport;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        _environment = environment;
        _local = eventsPage?.IsLocalDelivery == true;
        IsSending = _local || !string.IsNullOrWhiteSpace(_options.ApiKey);
        // Kept locally, an event should show on the events page by the time the developer looks.
        _flushInterval = _local && !_options.FlushIntervalIsSet ? TimeSpan.FromSeconds(1) : _options.FlushInterval;
        // A single-reader unbounded channel is lock-free for writers (a bounded channel takes a lock per write, which
        // 8 producers on 2 cores measurably contend on); the bound is kept by the _queued counter instead.
        _channel = Channel.CreateUnbounded<ThriveStackEvent>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _handoff = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        _maxQueueSize = _options.MaxQueueSize;
        _highWater = Math.Max(1, _maxQueueSize / 2);
        _batch = new BatchBuffer(_options.BatchSize, _options.MaxBatchBytes);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _wake = new WakeSignal(time);
        _senderWake = new WakeSignal(time);
        _spoolFullLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        _spoolFailedLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _gate = new DeliveryGate(_options, time, logger, DeliveryStateChanged);
        _backlog = NewMemoryBacklog();
        _flush = new FlushTracker(BacklogSettled);
        _delivery = new BatchDelivery(transport, _options, time, metrics, logger, _gate, _flush, () => _backlog, Park, _abort.Token);
        // The loops wait on signals, not on cancellable channel waits (cancelling one of those costs an exception and a
        // thread-pool hop per batch): the stop deadline wakes them like any other reason to look again.
        _abort.Token.UnsafeRegister(static s => ((EventDispatcher)s!).Wake(), this);
    }

    /// <summary>False when no API key is configured: nothing is queued and events are counted as <c>disabled</c>.</summary>
    public bool IsSending { get; }

    /// <summary>How long a batch waits to fill: <see cref="ThriveStackOptions.FlushInterval"/>, or 1 s for events kept locally in Development unless it is set.</summary>
    internal TimeSpan FlushInterval => _flushInterval;

    /// <summary>The backlog in use, for tests that inject its faults.</summary>
    internal IEventBacklog BacklogForTests => _backlog;

    /// <summary>Events waiting in memory.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    /// <summary>Events in the backlog (the spool, or memory), waiting for the API.</summary>
    public long BacklogCount => _backlog.Count;

    /// <summary>Bytes of event JSON in the backlog.</summary>
    public long BacklogBytes => _backlog.Bytes;

    /// <summary>True when the backlog is the durable spool (false before start, with <c>Durability = Memory</c>, or when the spool could not be opened).</summary>
    public bool BacklogIsDurable => _backlog.IsDurable;

    /// <summary>Sending, or paused and why.</summary>
    public DeliveryStatus Status => _gate.State.Status;

    /// <summary>The delivery gate's published state.</summary>
    public DeliveryState State => _gate.State;

    /// <summary>When a paused dispatcher tries again.</summary>
    public DateTimeOffset ResumeAt => _gate.State.ResumeAt;

    /// <summary>When the API last accepted a batch, or null.</summary>
    public DateTimeOffset? LastDeliveredAt => _gate.State.LastDeliveredAt;

    /// <summary>Queues an event without waiting. Returns null when accepted, else the drop reason.</summary>
    public string? TryEnqueue(ThriveStackEvent trackEvent)
    {
        var queued = Interlocked.Increment(ref _queued);
        if (queued > _maxQueueSize)
        {
            Interlocked.Decrement(ref _queued);
            return _stopping ? DropReasons.Shutdown : DropReasons.QueueFull;
        }
        if (_channel.Writer.TryWrite(trackEvent))
        {
            _flush.Accepted();
            if (queued == _highWater)
                Wake(); // a collector waiting for the sender spills to the backlog instead
            else if (queued >= Volatile.Read(ref _fillWakeAt) && Volatile.Read(ref _fillWakeArmed) == 1 && Interlocked.Exchange(ref _fillWakeArmed, 0) == 1)
                Wake(); // enough queued to fill the batch the collector is holding
            return null;
        }
        Interlocked.Decrement(ref _queued);
        return DropReasons.Shutdown; // the writer is completed only when stopping
    }

    private bool TryDequeue(ChannelReader<ThriveStackEvent> reader, out ThriveStackEvent trackEvent)
    {
        if (!reader.TryRead(out trackEvent!))
            return false;
        Interlocked.Decrement(ref _queued);
        return true;
    }

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
        if (!IsSending)
        {
            Log.ApiKeyMissing(_logger);
            return Task.CompletedTask;
        }
        if (_loops is not null)
            return Task.CompletedTask;
        if (_local)
            Log.KeptLocally(_logger);
        else
            Log.Started(_logger, ThriveStackOptions.Display(_options.Endpoint ?? ThriveStackOptions.DefaultEndpoint));
        if (_options.Durability == EventDurability.Disk && !_local)
            OpenSpool();
        _loops = Task.WhenAll(Task.Run(CollectLoopAsync, CancellationToken.None), Task.Run(SendLoopAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    private void OpenSpool()
    {
        var path = _options.SpoolPath is { Length: > 0 } configured ? configured : SpoolLocation.Default(_environment);
        try
        {
            _backlog = new SpoolWithFallback(SqliteSpool.Open(path, _options.MaxSpoolBytes), _options.MaxQueueSize, _options.MaxSpoolBytes, SpoolWriteFailed);
            if (_backlog.Count > 0)
                Log.SpoolResumed(_logger, path, _backlog.Count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or NotSupportedException or ArgumentException)
        {
            Log.SpoolUnavailable(_logger, path, ex.GetType().Name, ex.Message);
        }
    }

    private void SpoolWriteFailed(Exception ex)
    {
        if (_spoolFailedLog.TryEnter(out var suppressed))
        {
            var path = _backlog is SpoolWithFallback spool ? spool.Path : "(spool)";
            Log.SpoolWriteFailed(_logger, path, ex.GetType().Name, ex.Message, suppressed);
        }
    }

    /// <summary>
    /// Delivers what is queued within <see cref="ThriveStackOptions.ShutdownTimeout"/> and spools the rest. Idempotent:
    /// hosts may call it more than once, even concurrently (a test host stopping while the app's own <c>Run</c> also
    /// stops); every call awaits the same drain.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
            return _stop ??= StopCoreAsync(cancellationToken);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _channel.Writer.TryComplete();
        if (_loops is null)
        {
            DropQueued(DropReasons.Shutdown);
            return;
        }

        Wake();
        _abort.CancelAfter(_options.ShutdownTimeout);
        using var hostDeadline = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _abort);
        try
        {
            await _loops.WaitAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: in-flight sends are cancelled and the loops spool (or count as dropped) what is
            // left. That is local work; wait for it so nothing is lost before the host goes on.
            try
            {
                await _loops.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Task? stop;
        lock (_stopLock)
            stop = _stop;
        if (stop is not null)
            await stop.ConfigureAwait(false); // never pull the token source from under a drain in progress
        _stopping = true;
        _channel.Writer.TryComplete();
        await _abort.CancelAsync().ConfigureAwait(false);
        if (_loops is not null)
        {
            try
            {
                await _loops.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        _backlog.Dispose();
        _abort.Dispose();
    }

    /// <summary>For containers disposed synchronously: cancels the loops without waiting for them (they may still read the token).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping = true;
        _channel.Writer.TryComplete();
        _abort.Cancel();
    }

    // ---- collecting: queue → batches → sender or backlog ----

    private async Task CollectLoopAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (_carry is not null || await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                await CollectBatchAsync(reader).ConfigureAwait(false);
                if (_batch.Count > 0)
                    await RouteAsync(_batch.Take()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.DispatcherFailed(_logger, ex);
        }
        finally
        {
            SpillRemaining();
            _collectorDone = true;
            WakeSender();
        }
    }

    /// <summary>
    /// Hands a batch to the sender when it is free, else keeps it while the queue is below its high-water mark (half of
    /// <see cref="ThriveStackOptions.MaxQueueSize"/>). It goes to the backlog instead while delivery is paused, while
    /// older events wait there (so the oldest go first), when the queue passes the mark, and after the stop deadline.
    /// </summary>
    private async Task RouteAsync(PendingBatch batch)
    {
        while (true)
        {
            if (Status != DeliveryStatus.Delivering || _backlog.Count > 0 || _abort.IsCancellationRequested)
            {
                Park(batch);
                return;
            }
            if (HandOver(batch))
                return;
            if (QueueLength >= _highWater)
            {
                Park(batch); // the API is slower than the app: spill rather than fill the queue
                return;
            }

            if (_wake.TryReset())
                continue; // check the conditions again before waiting
            // Say we wait, then try once more: a sender that takes the slot after this sees the flag and wakes us.
            Volatile.Write(ref _waitingForSlot, 1);
            if (HandOver(batch))
            {
                Volatile.Write(ref _waitingForSlot, 0);
                return;
            }
            await _wake.WaitAsync().ConfigureAwait(false);
            Volatile.Write(ref _waitingForSlot, 0);
        }
    }

    /// <summary>Puts a batch in the one-batch slot and wakes the sender; false when the slot is taken.</summary>
    private bool HandOver(PendingBatch batch)
    {
        if (!_handoff.Writer.TryWrite(batch))
            return false;
        WakeSender();
        return true;
    }

    /// <summary>Takes the handed-over batch, if any, and wakes a collector waiting to hand over the next one.</summary>
    private bool TakeHandedOver([NotNullWhen(true)] out PendingBatch? batch)
    {
        if (!_handoff.Reader.TryRead(out batch))
            return false;
        if (Volatile.Read(ref _waitingForSlot) != 0)
            _wake.Set();
        return true;
    }

    /// <summary>Puts a batch the sender will not take now into the backlog (see <see cref="Park(PendingBatch, int, int)"/>).</summary>
    private void Park(PendingBatch batch)
    {
        using (batch)
            Park(batch, 0, batch.Count);
    }

    /// <summary>Puts events that cannot be sent now into the backlog, or drops them once the stop deadline has passed without a durable one.</summary>
    private void Park(PendingBatch batch, int start, int count)
    {
        if (_stopping && _abort.IsCancellationRequested && !_backlog.IsDurable)
            DropUnsent(count, DropReasons.Shutdown);
        else
            AppendToBacklog(batch, start, count);
    }

    /// <summary>After the loop ends (stop deadline, or a failure): everything still in memory goes to the backlog or is counted.</summary>
    private void SpillRemaining()
    {
        try
        {
            if (_batch.Count > 0)
                Park(_batch.Take());
            while (TakeCarry(out var next) || TryDequeue(_channel.Reader, out next))
            {
                if (!Add(next))
                    Park(_batch.Take()); // the event waits in _carry for the next batch
            }
            if (_batch.Count > 0)
                Park(_batch.Take());
        }
        catch (Exception ex)
        {
            Log.DispatcherFailed(_logger, ex);
            DropQueued(DropReasons.Error);
        }
    }

    /// <summary>Fills the batch until it is full, the first event's flush deadline passes, a flush is asked for, or the host stops.</summary>
    private async Task CollectBatchAsync(ChannelReader<ThriveStackEvent> reader)
    {
        long firstAcceptedAt = 0;
        while (true)
        {
            while (!_batch.IsFull && (TakeCarry(out var next) || TryDequeue(reader, out next)))
            {
                var wasEmpty = _batch.Count == 0;
                if (!Add(next))
                    return; // no room: send now, the event waits in _carry
                if (wasEmpty && _batch.Count == 1)
                    firstAcceptedAt = next.AcceptedAt;
            }

            if (_batch.IsFull || _batch.Count == 0 || _stopping || _flush.Requested)
                return;

            if (_time.GetElapsedTime(firstAcceptedAt) >= _flushInterval)
                return;
            await WaitForMoreAsync(firstAcceptedAt).ConfigureAwait(false);
        }
    }

    private bool TakeCarry(out ThriveStackEvent next)
    {
        next = _carry!;
        _carry = null;
        return next is not null;
    }

    /// <summary>Adds to the batch; false when the batch has no room left and must be sent first.</summary>
    private bool Add(ThriveStackEvent trackEvent)
    {
        BatchBuffer.AddResult result;
        try
        {
            result = _batch.TryAdd(trackEvent);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Log.EventNotSerializable(_logger, trackEvent.EventName, ex.GetType().Name);
            Drop(1, DropReasons.Invalid);
            _flush.Resolve(1);
            return true;
        }

        switch (result)
        {
            case BatchBuffer.AddResult.NoRoom:
                _carry = trackEvent;
                return false;
            case BatchBuffer.AddResult.TooLarge:
                Log.EventTooLarge(_logger, trackEvent.EventName);
                Drop(1, DropReasons.TooLarge);
                _flush.Resolve(1);
                return true;
            default:
                return true;
        }
    }

    /// <summary>
    /// Sleeps until the batch's flush deadline, until enough events are queued to fill it, or until woken (flush, stop,
    /// high-water mark). It does not wake for every event: in a busy app events arrive one by one, and a thread
    /// wake-up per event costs the app far more than the event itself.
    /// </summary>
    private async Task WaitForMoreAsync(long firstAcceptedAt)
    {
        // Re-arm before re-checking the conditions, so a wake-up that lands in between is not lost.
        if (_wake.TryReset() && (_stopping || _flush.Requested))
            return;

        Volatile.Write(ref _fillWakeAt, Math.Max(1, _options.BatchSize - _batch.Count));
        Volatile.Write(ref _fillWakeArmed, 1);
        try
        {
            if (QueueLength >= Volatile.Read(ref _fillWakeAt))
                return; // the batch can be filled now

            await _wake.WaitAsync(() => _flushInterval - _time.GetElapsedTime(firstAcceptedAt)).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _fillWakeArmed, 0);
        }
    }

    // ---- sending: backlog first, then handed-over batches ----

    private async Task SendLoopAsync()
    {
        try
        {
            while (!_abort.IsCancellationRequested)
            {
                var state = _gate.State;
                if (!state.IsOpen)
                {
                    ParkHandoff();
                    if (_stopping && _collectorDone)
                        break; // paused at stop: what is left stays in the spool (or is counted as dropped)
                    if (state.ResumeAt > _time.GetUtcNow())
                    {
                        await WaitSenderAsync(state.ResumeAt).ConfigureAwait(false);
                        continue;
                    }
                    // Time to try again: the next batch is the probe; delivering it resumes sending.
                }
                else
                {
                    try
                    {
                        if (await _delivery.SendBacklogConcurrentlyAsync(_stopping).ConfigureAwait(false))
                            continue;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Log.BacklogFailed(_logger, ex);
                        _gate.Backoff();
                        continue;
                    }
                }

                PendingBatch? batch;
                try
                {
                    batch = NextBatch();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.BacklogFailed(_logger, ex);
                    _gate.Backoff();
                    continue;
                }
                if (batch is null)
                {
                    if (_collectorDone)
                        break;
                    // Woken by a handed-over batch or a wake-up; the timeout is a safety net, so a missed wake-up can
                    // only delay the backlog, never strand it.
                    await WaitSenderAsync(_time.GetUtcNow() + _flushInterval).ConfigureAwait(false);
                    continue;
                }
                try
                {
                    using (batch)
                        await _delivery.DeliverAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // E.g. the spool failing to remove delivered rows: keep the loop alive and try again later.
                    Log.BacklogFailed(_logger, ex);
                    _gate.Backoff();
                }
                finally
                {
                    if (batch.FromBacklog)
                        _backlog.Release(); // what was not delivered may be evicted by the bound again
                }
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.DispatcherFailed(_logger, ex);
        }
        finally
        {
            ParkHandoff();
            if (_stopping && _backlog.DropVolatile() is var left and > 0)
            {
                Drop(left, DropReasons.Shutdown);
                Log.QueuedEventsDropped(_logger, left, DropReasons.Shutdown);
            }
            _flush.ReleaseAll();
        }
    }

    /// <summary>The oldest backlog events, else the batch the collector handed over. At stop the spool is left alone: it is durable.</summary>
    private PendingBatch? NextBatch()
    {
        if (_backlog.Count > 0 && !(_stopping && _backlog.IsDurable))
        {
            var batch = _backlog.ReadOldest(_delivery.ProbeSize, _options.MaxBatchBytes);
            if (batch.Count > 0)
                return batch;
            batch.Dispose();
        }
        return TakeHandedOver(out var handed) ? handed : null;
    }

    private void ParkHandoff()
    {
        while (TakeHandedOver(out var batch))
            Park(batch);
    }

    /// <summary>Waits until <paramref name="until"/> or a wake-up (a handed-over batch is one), whichever comes first.</summary>
    private async Task WaitSenderAsync(DateTimeOffset until)
    {
        if (_senderWake.TryReset())
            return; // the caller checks its conditions again before waiting
        if (_handoff.Reader.Count > 0)
            return; // handed over before the signal was re-armed
        await _senderWake.WaitAsync(() => until - _time.GetUtcNow()).ConfigureAwait(false);
    }

    private string BacklogName => _backlog.IsDurable ? "the spool" : "memory";

    private void AppendToBacklog(PendingBatch batch, int start, int count)
    {
        if (count == 0)
            return;
        try
        {
            var evicted = _backlog.Append(batch, start, count);
            _metrics.Spooled(count);
            if (evicted > 0)
            {
                Drop(evicted, DropReasons.SpoolFull);
                if (_spoolFullLog.TryEnter(out var suppressed))
                    Log.SpoolFull(_logger, evicted, BacklogName, suppressed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.BacklogFailed(_logger, ex);
            Drop(count, DropReasons.Error);
        }
        if (!batch.FromBacklog)
            _flush.Resolve(count);
        // The sender may have found the backlog empty a moment ago (e.g. it just delivered the last of it and
        // resumed) and gone to sleep waiting for a handed-over batch; wake it, or the backlog would wait forever.
        WakeSender();
    }

    private void DropUnsent(int count, string reason)
    {
        Drop(count, reason);
        Log.QueuedEventsDropped(_logger, count, reason);
        _flush.Resolve(count);
    }

    private MemoryBacklog NewMemoryBacklog() => new(_options.MaxQueueSize, _options.MaxSpoolBytes);

    private void Drop(long count, string reason) => _metrics.Dropped(count, reason);

    private void DropQueued(string reason)
    {
        var dropped = 0;
        if (TakeCarry(out _))
            dropped++;
        while (TryDequeue(_channel.Reader, out _))
            dropped++;
        if (dropped == 0)
            return;
        Drop(dropped, reason);
        Log.QueuedEventsDropped(_logger, dropped, reason);
        _flush.Resolve(dropped);
    }

    /// <summary>Empties the queue without sending; for benchmarks that measure the producer side alone.</summary>
    internal void DrainForBenchmark()
    {
        while (TryDequeue(_channel.Reader, out _))
        {
        }
    }

    private void DeliveryStateChanged()
    {
        Wake(); // a pause parks new batches, a resume sends the backlog
        _flush.Release(); // a flush is done once its events wait in the backlog while paused
    }

    private bool BacklogSettled() => _backlog.Count == 0 || !_gate.State.IsOpen;

    private void Wake()
    {
        _wake.Set();
        WakeSender();
    }

    private void WakeSender() => _senderWake.Set();

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ApiKeyMissing, LogLevel.Warning,
            "ThriveStack: no API key is configured, so events are not sent (they are counted as dropped with reason 'disabled'). " +
            "Set ThriveStack:ApiKey (environment variable ThriveStack__ApiKey); the key is in the ThriveStack dashboard under Settings → API Keys.")]
        public static partial void ApiKeyMissing(ILogger logger);

        [LoggerMessage(LogEvents.EventsKeptLocally, LogLevel.Information,
            "ThriveStack: no API key is configured, so in Development events are kept in this app, not sent: map app.MapThriveStackEvents() " +
            "and open /_thrivestack/events to see them. Set ThriveStack:ApiKey (environment variable ThriveStack__ApiKey, or user secrets) to send them to ThriveStack.")]
        public static partial void KeptLocally(ILogger logger);

        [LoggerMessage(LogEvents.DispatcherStarted, LogLevel.Information, "ThriveStack: sending events to {Endpoint}")]
        public static partial void Started(ILogger logger, string endpoint);

        [LoggerMessage(LogEvents.SpoolUnavailable, LogLevel.Warning,
            "ThriveStack: the spool '{Path}' cannot be used ({ExceptionType}: {Problem}); events that cannot be sent at once wait in memory only. Set ThriveStack:SpoolPath to a writable location, or ThriveStack:Durability to Memory.")]
        public static partial void SpoolUnavailable(ILogger logger, string path, string exceptionType, string problem);

        [LoggerMessage(LogEvents.SpoolResumed, LogLevel.Information,
            "ThriveStack: events from an earlier run wait in the spool '{Path}' and are sent first (count: {Count}).")]
        public static partial void SpoolResumed(ILogger logger, string path, long count);

        [LoggerMessage(LogEvents.SpoolFull, LogLevel.Warning,
            "ThriveStack: the oldest events in {Backlog} were dropped to stay within its bound (reason 'spool_full', count: {Count}). Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void SpoolFull(ILogger logger, long count, string backlog, long suppressed);

        [LoggerMessage(LogEvents.BacklogFailed, LogLevel.Error, "ThriveStack: reading or writing the event backlog failed; sending retries later. Events that could not be written to it are dropped (reason 'error').")]
        public static partial void BacklogFailed(ILogger logger, Exception exception);

        [LoggerMessage(LogEvents.EventTooLarge, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event is larger than the batch byte limit and is dropped.")]
        public static partial void EventTooLarge(ILogger logger, string eventName);

        [LoggerMessage(LogEvents.EventNotSerializable, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event could not be serialized ({ExceptionType}) and is dropped.")]
        public static partial void EventNotSerializable(ILogger logger, string eventName, string exceptionType);

        [LoggerMessage(LogEvents.QueuedEventsDropped, LogLevel.Warning,
            "ThriveStack: queued events were dropped (reason '{Reason}', count: {Count}).")]
        public static partial void QueuedEventsDropped(ILogger logger, long count, string reason);

        [LoggerMessage(LogEvents.SpoolWriteFailed, LogLevel.Warning,
            "ThriveStack: the spool '{Path}' cannot be written ({ExceptionType}: {Problem}); is the disk full or read-only? Delivery goes on: " +
            "events that cannot be sent at once wait in memory (bounded by MaxQueueSize), and delivered events are skipped until the spool can be written again. Similar messages suppressed since the last one: {Suppressed}.")]
        public static partial void SpoolWriteFailed(ILogger logger, string path, string exceptionType, string problem, long suppressed);

        [LoggerMessage(LogEvents.DispatcherFailed, LogLevel.Error,
            "ThriveStack: the event dispatcher failed unexpectedly.")]
        public static partial void DispatcherFailed(ILogger logger, Exception exception);
    }
}
