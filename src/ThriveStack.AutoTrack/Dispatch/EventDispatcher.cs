using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThriveStack.AutoTrack.Diagnostics;
using ThriveStack.AutoTrack.Events;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The one pipe every event goes through: a bounded channel that producers write to without waiting, and a
/// background loop that batches by count, bytes and time and hands each batch to the transport. On stop it drains
/// what is queued within <see cref="ThriveStackOptions.ShutdownTimeout"/> and never waits longer.
/// </summary>
internal sealed partial class EventDispatcher : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly Channel<ThriveStackEvent> _channel;
    private readonly IBatchTransport _transport;
    private readonly TimeProvider _time;
    private readonly ThriveStackMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ThriveStackOptions _options;
    private readonly BatchBuffer _batch;
    private readonly CancellationTokenSource _abort;
    private readonly LogThrottle _failureLog;
    private readonly Lock _flushLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];

    private TaskCompletionSource _wake = NewSignal();
    private Task? _loop;
    private Task? _stop;
    private ThriveStackEvent? _carry;
    private volatile bool _stopping;
    private long _accepted;
    private long _resolved;
    private int _queued;
    private readonly int _maxQueueSize;
    private int _disposed;

    public EventDispatcher(
        IBatchTransport transport,
        IOptions<ThriveStackOptions> options,
        TimeProvider time,
        ThriveStackMetrics metrics,
        ILogger<EventDispatcher> logger)
    {
        _transport = transport;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        IsSending = !string.IsNullOrWhiteSpace(_options.ApiKey);
        // A single-reader unbounded channel is lock-free for writers (a bounded channel takes a lock per write, which
        // 8 producers on 2 cores measurably contend on); the bound is kept by the _queued counter instead.
        _channel = Channel.CreateUnbounded<ThriveStackEvent>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _maxQueueSize = _options.MaxQueueSize;
        _batch = new BatchBuffer(_options.BatchSize, _options.MaxBatchBytes);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _failureLog = new LogThrottle(time, TimeSpan.FromSeconds(10));
        metrics.ObserveQueueLength(() => Volatile.Read(ref _queued));
    }

    /// <summary>False when no API key is configured: nothing is queued and events are counted as <c>disabled</c>.</summary>
    public bool IsSending { get; }

    /// <summary>Events waiting in memory.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    /// <summary>Queues an event without waiting. Returns null when accepted, else the drop reason.</summary>
    public string? TryEnqueue(ThriveStackEvent trackEvent)
    {
        if (Interlocked.Increment(ref _queued) > _maxQueueSize)
        {
            Interlocked.Decrement(ref _queued);
            return _stopping ? DropReasons.Shutdown : DropReasons.QueueFull;
        }
        if (_channel.Writer.TryWrite(trackEvent))
        {
            Interlocked.Increment(ref _accepted);
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

    /// <summary>Completes when every event accepted before the call has been sent or dropped.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _accepted);
        TaskCompletionSource done;
        lock (_flushLock)
        {
            if (Interlocked.Read(ref _resolved) >= target)
                return Task.CompletedTask;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((target, done));
        }
        Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsSending)
        {
            Log.ApiKeyMissing(_logger);
            return Task.CompletedTask;
        }
        Log.Started(_logger, ThriveStackOptions.Display(_options.Endpoint ?? ThriveStackOptions.DefaultEndpoint));
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Drains the queue within <see cref="ThriveStackOptions.ShutdownTimeout"/>. Idempotent: hosts may call it more than
    /// once, even concurrently (a test host stopping while the app's own <c>Run</c> also stops); every call awaits the
    /// same drain.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_flushLock)
            return _stop ??= StopCoreAsync(cancellationToken);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _channel.Writer.TryComplete();
        if (_loop is null)
        {
            DropQueued(DropReasons.Shutdown);
            return;
        }

        Wake();
        _abort.CancelAfter(_options.ShutdownTimeout);
        using var hostDeadline = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _abort);
        try
        {
            await _loop.WaitAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: in-flight sends are cancelled and the loop counts what is left as dropped.
            // It exits within moments; wait briefly so the counts are in before the host goes on.
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System).ConfigureAwait(false);
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
        lock (_flushLock)
            stop = _stop;
        if (stop is not null)
            await stop.ConfigureAwait(false); // never pull the token source from under a drain in progress
        _stopping = true;
        _channel.Writer.TryComplete();
        await _abort.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        _abort.Dispose();
    }

    /// <summary>For containers disposed synchronously: cancels the loop without waiting for it (the loop may still read the token).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stopping = true;
        _channel.Writer.TryComplete();
        _abort.Cancel();
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        try
        {
            while (_carry is not null || await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                await CollectBatchAsync(reader).ConfigureAwait(false);
                if (_batch.Count > 0)
                    await SendBatchAsync().ConfigureAwait(false);
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
            var left = _batch.Count;
            _batch.Clear();
            if (left > 0)
                Drop(left, _stopping ? DropReasons.Shutdown : DropReasons.Error);
            DropQueued(_stopping ? DropReasons.Shutdown : DropReasons.Error);
            ReleaseAllFlushWaiters();
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

            if (_batch.IsFull || _batch.Count == 0 || _stopping || FlushRequested())
                return;

            var remaining = _options.FlushInterval - _time.GetElapsedTime(firstAcceptedAt);
            if (remaining <= TimeSpan.Zero)
                return;
            await WaitForMoreAsync(reader, firstAcceptedAt, remaining).ConfigureAwait(false);
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
            Resolve(1);
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
                Resolve(1);
                return true;
            default:
                return true;
        }
    }

    private async Task WaitForMoreAsync(ChannelReader<ThriveStackEvent> reader, long firstAcceptedAt, TimeSpan remaining)
    {
        var wake = _wake;
        if (wake.Task.IsCompleted)
        {
            // Re-arm before re-checking the conditions, so a wake-up that lands in between is not lost.
            wake = _wake = NewSignal();
            if (_stopping || FlushRequested())
                return;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        var deadline = Task.Delay(remaining, _time, stopWaiting.Token);
        // The clock may have moved between measuring 'remaining' and arming the timer; never wait past the deadline.
        if (_time.GetElapsedTime(firstAcceptedAt) < _options.FlushInterval)
        {
            var more = reader.WaitToReadAsync(stopWaiting.Token).AsTask();
            await Task.WhenAny(more, deadline, wake.Task).ConfigureAwait(false);
        }
        await stopWaiting.CancelAsync().ConfigureAwait(false);
    }

    private async Task SendBatchAsync()
    {
        var count = _batch.Count;
        var body = _batch.Complete();
        var started = _time.GetTimestamp();
        SendResult result;
        try
        {
            result = await _transport.SendAsync(body, count, _abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            _batch.Clear();
            Drop(count, DropReasons.Shutdown);
            Resolve(count);
            throw;
        }

        _metrics.BatchSent(result.OutcomeTag, _time.GetElapsedTime(started));
        _batch.Clear();
        if (result.Outcome == SendOutcome.Delivered)
        {
            _metrics.Sent(count);
        }
        else
        {
            if (_failureLog.TryEnter(out var suppressed))
                Log.BatchFailed(_logger, count, result.StatusCode, result.Error ?? result.OutcomeTag, suppressed);
            Drop(count, DropReasons.SendFailed);
        }
        Resolve(count);
    }

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
        Resolve(dropped);
    }

    /// <summary>Empties the queue without sending; for benchmarks that measure the producer side alone.</summary>
    internal void DrainForBenchmark()
    {
        while (TryDequeue(_channel.Reader, out _))
        {
        }
    }

    private bool FlushRequested()
    {
        lock (_flushLock)
            return _flushWaiters.Count > 0;
    }

    private void Resolve(int count)
    {
        var resolved = Interlocked.Add(ref _resolved, count);
        lock (_flushLock)
        {
            for (var i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Target <= resolved)
                {
                    _flushWaiters[i].Done.TrySetResult();
                    _flushWaiters.RemoveAt(i);
                }
            }
        }
    }

    private void ReleaseAllFlushWaiters()
    {
        lock (_flushLock)
        {
            foreach (var (_, done) in _flushWaiters)
                done.TrySetResult();
            _flushWaiters.Clear();
        }
    }

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(LogEvents.ApiKeyMissing, LogLevel.Warning,
            "ThriveStack: no API key is configured, so events are not sent (they are counted as dropped with reason 'disabled'). " +
            "Set ThriveStack:ApiKey (environment variable ThriveStack__ApiKey); the key is in the ThriveStack dashboard under Settings → API Keys.")]
        public static partial void ApiKeyMissing(ILogger logger);

        [LoggerMessage(LogEvents.DispatcherStarted, LogLevel.Information, "ThriveStack: sending events to {Endpoint}")]
        public static partial void Started(ILogger logger, string endpoint);

        [LoggerMessage(LogEvents.BatchFailed, LogLevel.Warning,
            "ThriveStack: the track API did not accept a batch of {Count} events (status {StatusCode}, {Problem}); the events are dropped. {Suppressed} similar messages were suppressed.")]
        public static partial void BatchFailed(ILogger logger, int count, int statusCode, string problem, long suppressed);

        [LoggerMessage(LogEvents.EventTooLarge, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event is larger than the batch byte limit and is dropped.")]
        public static partial void EventTooLarge(ILogger logger, string eventName);

        [LoggerMessage(LogEvents.EventNotSerializable, LogLevel.Warning,
            "ThriveStack: a '{EventName}' event could not be serialized ({ExceptionType}) and is dropped.")]
        public static partial void EventNotSerializable(ILogger logger, string eventName, string exceptionType);

        [LoggerMessage(LogEvents.QueuedEventsDropped, LogLevel.Warning,
            "ThriveStack: {Count} queued events were dropped ({Reason}).")]
        public static partial void QueuedEventsDropped(ILogger logger, int count, string reason);

        [LoggerMessage(LogEvents.DispatcherFailed, LogLevel.Error,
            "ThriveStack: the event dispatcher stopped unexpectedly; queued events are dropped.")]
        public static partial void DispatcherFailed(ILogger logger, Exception exception);
    }
}
