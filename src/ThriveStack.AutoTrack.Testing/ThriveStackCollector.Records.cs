using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Testing;

/// <summary>What the collector's three endpoints accepted, and waits for tests.</summary>
public sealed partial class ThriveStackCollector
{
    /// <summary>Every accepted event, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ReceivedEvent> Events => _log.Events;

    /// <summary>Every request to <c>/api/track</c> answered, accepted or not, in arrival order (a snapshot).</summary>
    public IReadOnlyList<CollectedBatch> Batches => _log.Batches;


    /// <summary>Forgets what was received.</summary>
    public void Clear()
    {
        _log.Clear();
        _identifies.Clear();
        _groups.Clear();
    }

    /// <summary>Waits until at least <paramref name="count"/> events have been accepted.</summary>
    /// <param name="count">How many events to wait for.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The events received so far.</returns>
    /// <exception cref="TimeoutException">Fewer events arrived in time; the message says how many did.</exception>
    public Task<IReadOnlyList<ReceivedEvent>> WaitForEventsAsync(int count, TimeSpan? timeout = null)
        => _log.WaitUntilAsync(events => events.Count >= count, count == 1 ? "1 event" : $"{count} events", timeout);

    /// <summary>Waits until an accepted event satisfies <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition on one event.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="TimeoutException">No such event arrived in time.</exception>
    public async Task<ReceivedEvent> WaitForEventAsync(Func<ReceivedEvent, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var events = await _log.WaitUntilAsync(events => events.Any(predicate), "a matching event", timeout).ConfigureAwait(false);
        return events.First(predicate);
    }

    private readonly EventLog _log = new();
    private readonly TraitsLog _identifies = new("identify");
    private readonly TraitsLog _groups = new("group");

    /// <summary>Makes the following requests to one endpoint fail as <paramref name="fault"/> says; null to accept again.</summary>
    /// <param name="path"><see cref="TrackPath"/>, <see cref="IdentifyPath"/> or <see cref="GroupPath"/>.</param>
    /// <param name="fault">The fault, or null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not one of the three.</exception>
    public void SetFault(string path, CollectorFault? fault)
        => Volatile.Write(ref _faults[(int)(KindOf(path) ?? throw new ArgumentException($"'{path}' is not {TrackPath}, {IdentifyPath} or {GroupPath}.", nameof(path)))], fault);

    /// <summary>Every accepted identify record, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ReceivedTraits> Identifies => _identifies.Events;

    /// <summary>Every request to <c>/api/identify</c> answered, in arrival order (a snapshot).</summary>
    public IReadOnlyList<CollectedBatch> IdentifyBatches => _identifies.Batches;

    /// <summary>Every accepted group record, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ReceivedTraits> Groups => _groups.Events;

    /// <summary>Every request to <c>/api/group</c> answered, in arrival order (a snapshot).</summary>
    public IReadOnlyList<CollectedBatch> GroupBatches => _groups.Batches;

    /// <summary>Waits until an accepted identify record satisfies <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition on one record.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching record.</returns>
    /// <exception cref="TimeoutException">No such record arrived in time.</exception>
    public async Task<ReceivedTraits> WaitForIdentifyAsync(Func<ReceivedTraits, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return (await _identifies.WaitUntilAsync(r => r.Any(predicate), "a matching identify record", timeout).ConfigureAwait(false)).First(predicate);
    }

    /// <summary>Waits until an accepted group record satisfies <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition on one record.</param>
    /// <param name="timeout">How long to wait; default 10 seconds.</param>
    /// <returns>The first matching record.</returns>
    /// <exception cref="TimeoutException">No such record arrived in time.</exception>
    public async Task<ReceivedTraits> WaitForGroupAsync(Func<ReceivedTraits, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return (await _groups.WaitUntilAsync(r => r.Any(predicate), "a matching group record", timeout).ConfigureAwait(false)).First(predicate);
    }

    private static RecordKind? KindOf(string? path) => path switch
    {
        TrackPath => RecordKind.Track,
        IdentifyPath => RecordKind.Identify,
        GroupPath => RecordKind.Group,
        _ => null,
    };
}
