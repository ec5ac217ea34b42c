namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// Events the dispatcher cannot send now (failed batches, queue overflow, what is left at shutdown), oldest first.
/// Thread-safe: the collecting loop appends while the sending loop reads and removes.
/// </summary>
internal interface IEventBacklog : IDisposable
{
    /// <summary>True when the events survive a restart (the SQLite spool).</summary>
    bool IsDurable { get; }

    /// <summary>Events held.</summary>
    long Count { get; }

    /// <summary>Bytes of event JSON held.</summary>
    long Bytes { get; }

    /// <summary>Adds <paramref name="count"/> events of <paramref name="batch"/> from <paramref name="start"/>, after the newest.</summary>
    /// <returns>How many of the oldest events were removed to stay within the bound (dropped as <c>spool_full</c>).</returns>
    long Append(PendingBatch batch, int start, int count);

    /// <summary>
    /// Reads (without removing) the oldest events that are not in flight, at most <paramref name="maxEvents"/> and a body
    /// of at most <paramref name="maxBodyBytes"/>, and marks them in flight until <see cref="Release"/>: the bound never
    /// evicts an event that is being sent (it would be counted as <c>spool_full</c> and then delivered anyway), so while
    /// batches are in flight the backlog may exceed its bound by those batches. Called again before a release, it reads
    /// the next oldest, for several requests in flight.
    /// </summary>
    PendingBatch ReadOldest(int maxEvents, int maxBodyBytes);

    /// <summary>
    /// Moves an event the API failed on by itself behind all the others (so it no longer holds them up), adding one to its
    /// failure count when <paramref name="countFailure"/>; the count survives a restart with the spool.
    /// </summary>
    /// <returns>The event's new id and failure count; id 0 when it is no longer there.</returns>
    (long Id, int Failures) Defer(long id, bool countFailure);

    /// <summary>Empties what would not survive the process (at shutdown); returns how many events that was.</summary>
    long DropVolatile();

    /// <summary>Ends the in-flight mark of the last <see cref="ReadOldest"/>: what was not removed may be evicted again.</summary>
    void Release();

    /// <summary>Removes the events with ids from <paramref name="firstId"/> through <paramref name="lastId"/>.</summary>
    /// <returns>How many were still there (an event pushed out as <c>spool_full</c> meanwhile is not).</returns>
    long Remove(long firstId, long lastId);
}
