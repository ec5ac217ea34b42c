using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThriveStack.AutoTrack.Dispatch;
using ThriveStack.AutoTrack.Events;
using ThriveStack.AutoTrack.Tracking;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>
/// Captures the events an app sends, in memory and without any network: AutoTrack's dispatcher hands each batch to the
/// recorder instead of posting it, exactly as serialized, and the recorder checks it against the track API contract
/// (a batch that breaks it is refused, as the API would refuse it). Registered by <c>services.AddThriveStackTesting()</c>;
/// resolve it from the app's services.
/// </summary>
public sealed class ThriveStackEventRecorder
{
    private readonly EventLog _log = new();
    private readonly TraitsLog _identifies = new("identify");
    private readonly TraitsLog _groups = new("group");
    private readonly IServiceProvider _services;

    /// <summary>Creates a recorder that flushes the app's tracker (from <paramref name="services"/>) before it looks.</summary>
    /// <param name="services">The app's services.</param>
    public ThriveStackEventRecorder(IServiceProvider services) => _services = services;

    /// <summary>Every accepted event, in the order sent (a snapshot; call <see cref="FlushAsync"/> first to include queued ones).</summary>
    public IReadOnlyList<ReceivedEvent> Events => _log.Events;

    /// <summary>Every batch of track events handed over, accepted or refused (with the contract problems).</summary>
    public IReadOnlyList<CollectedBatch> Batches => _log.Batches;

    /// <summary>Every accepted identify record, in the order sent (a snapshot).</summary>
    public IReadOnlyList<ReceivedTraits> Identifies => _identifies.Events;

    /// <summary>Every accepted group record, in the order sent (a snapshot).</summary>
    public IReadOnlyList<ReceivedTraits> Groups => _groups.Events;

    /// <summary>Sends everything queued so far and returns all events recorded.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The events.</returns>
    public async Task<IReadOnlyList<ReceivedEvent>> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _services.GetRequiredService<IThriveStackTracker>().FlushAsync(cancellationToken).ConfigureAwait(false);
        return Events;
    }

    /// <summary>
    /// Waits until an event satisfies <paramref name="predicate"/>, flushing the queue while it waits (events are often
    /// tracked just after the response reaches the test).
    /// </summary>
    /// <param name="predicate">The condition on one event.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="TimeoutException">No such event arrived; the message lists what did.</exception>
    public async Task<ReceivedEvent> WaitForEventAsync(Func<ReceivedEvent, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var events = await WaitUntilAsync(e => e.Any(predicate), "a matching event", timeout).ConfigureAwait(false);
        return events.First(predicate);
    }

    /// <summary>Waits until at least <paramref name="count"/> events have been recorded, flushing while it waits.</summary>
    /// <param name="count">How many events.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The events recorded.</returns>
    /// <exception cref="TimeoutException">Fewer arrived; the message lists them.</exception>
    public Task<IReadOnlyList<ReceivedEvent>> WaitForEventsAsync(int count, TimeSpan? timeout = null)
        => WaitUntilAsync(e => e.Count >= count, count == 1 ? "1 event" : $"{count} events", timeout);

    /// <summary>Waits until an identify record satisfies <paramref name="predicate"/>, flushing while it waits.</summary>
    /// <param name="predicate">The condition on one record.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching record.</returns>
    /// <exception cref="TimeoutException">No such record arrived.</exception>
    public Task<ReceivedTraits> WaitForIdentifyAsync(Func<ReceivedTraits, bool> predicate, TimeSpan? timeout = null)
        => WaitForTraitsAsync(_identifies, predicate, timeout);

    /// <summary>Waits until a group record satisfies <paramref name="predicate"/>, flushing while it waits.</summary>
    /// <param name="predicate">The condition on one record.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching record.</returns>
    /// <exception cref="TimeoutException">No such record arrived.</exception>
    public Task<ReceivedTraits> WaitForGroupAsync(Func<ReceivedTraits, bool> predicate, TimeSpan? timeout = null)
        => WaitForTraitsAsync(_groups, predicate, timeout);

    /// <summary>Forgets what was recorded.</summary>
    public void Clear()
    {
        _log.Clear();
        _identifies.Clear();
        _groups.Clear();
    }

    private async Task<ReceivedTraits> WaitForTraitsAsync(TraitsLog log, Func<ReceivedTraits, bool> predicate, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            await FlushAsync().ConfigureAwait(false);
            if (log.Events.FirstOrDefault(predicate) is { } found)
                return found;
            await Task.Delay(20).ConfigureAwait(false);
        }
        var records = await log.WaitUntilAsync(r => r.Any(predicate), "a matching record", TimeSpan.Zero).ConfigureAwait(false);
        return records.First(predicate);
    }

    private async Task<IReadOnlyList<ReceivedEvent>> WaitUntilAsync(Func<IReadOnlyList<ReceivedEvent>, bool> condition, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var events = await FlushAsync().ConfigureAwait(false);
            if (condition(events))
                return events;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return await _log.WaitUntilAsync(condition, what, TimeSpan.Zero).ConfigureAwait(false);
            await Task.Delay(left < TimeSpan.FromMilliseconds(20) ? left : TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
    }

    /// <summary>Takes one serialized batch of <paramref name="kind"/> from a pipeline.</summary>
    internal bool Receive(RecordKind kind, ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var problems = kind == RecordKind.Track ? TrackContract.ValidateBatch(root) : TraitsContractRules.ValidateBatch(kind, root);
        IRecordLog log = kind switch { RecordKind.Identify => _identifies, RecordKind.Group => _groups, _ => _log };
        if (problems.Count > 0)
        {
            log.Refuse(400, root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 0, problems, body.Length);
            return false;
        }
        log.Accept(root, body.Length);
        return true;
    }
}
