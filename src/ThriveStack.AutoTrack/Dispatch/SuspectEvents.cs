namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The backlog events the API has failed on by themselves, and whether the API accepted other events since each one's
/// last failure: only such a failure counts against the event (otherwise the API may just be down). Bounded.
/// </summary>
/// <remarks>Threads: the sending loop only.</remarks>
internal sealed class SuspectEvents
{
    private const int MaxSuspects = 1024;

    private readonly Dictionary<long, long> _deliveriesAtFailure = []; // backlog id → deliveries when it last failed
    private long _deliveries;      // requests the API accepted so far
    private bool _lastWasAccepted; // whether the last request was accepted: the API is up

    /// <summary>How many events are suspects.</summary>
    public int Count => _deliveriesAtFailure.Count;

    public bool Contains(long id) => _deliveriesAtFailure.ContainsKey(id);

    /// <summary>A request was accepted.</summary>
    public void Accepted()
    {
        _deliveries++;
        _lastWasAccepted = true;
    }

    /// <summary>A request failed.</summary>
    public void Failed() => _lastWasAccepted = false;

    /// <summary>The event is settled (delivered or dropped): no longer a suspect.</summary>
    public void Forget(long id) => _deliveriesAtFailure.Remove(id);

    /// <summary>
    /// The event failed by itself: whether that counts against it (the API accepted others since its last failure, or,
    /// for a first failure, the last request was accepted). Forgets it; <see cref="Remember"/> it under its new id.
    /// </summary>
    public bool FailureCounts(long id)
    {
        var counts = _deliveriesAtFailure.Remove(id, out var deliveriesThen) ? _deliveries > deliveriesThen : _lastWasAccepted;
        _lastWasAccepted = false;
        return counts;
    }

    /// <summary>Remembers an event that failed by itself, under its id after it moved behind the others.</summary>
    public void Remember(long id)
    {
        if (_deliveriesAtFailure.Count >= MaxSuspects)
            _deliveriesAtFailure.Clear(); // events evicted or delivered by another path leave stale entries; never let them grow
        _deliveriesAtFailure[id] = _deliveries;
    }
}
