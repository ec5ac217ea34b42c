namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The backlog when <see cref="ThriveStackOptions.Durability"/> is <see cref="EventDurability.Memory"/>, or when the
/// spool cannot be opened: at most <c>maxEvents</c> events and <c>maxBytes</c> bytes; beyond that the oldest go.
/// Lost when the process ends. Its ids start at <c>firstId</c> (a spool's memory fallback numbers its events apart).
/// </summary>
internal sealed class MemoryBacklog(long maxEvents, long maxBytes, long firstId = 1) : IEventBacklog
{
    private readonly LinkedList<Stored> _events = new();
    private readonly Lock _lock = new();
    private long _nextId = firstId;
    private long _count;
    private long _bytes;
    private long _inFlightFirst = 1, _inFlightLast; // ids of the batches being sent, from the head (empty when first > last); under _lock

    public bool IsDurable => false;

    public long Count => Volatile.Read(ref _count);

    public long Bytes => Volatile.Read(ref _bytes);

    public long Append(PendingBatch batch, int start, int count)
    {
        long evicted = 0;
        lock (_lock)
        {
            for (var i = start; i < start + count; i++)
            {
                var json = batch.Json(i).ToArray();
                _events.AddLast(new Stored(_nextId++, batch.Name(i), json));
                _bytes += json.Length;
            }
            // The oldest go first, but never those in flight.
            evicted = RemoveFromHead(_ => _events.Count <= maxEvents && _bytes <= maxBytes, e => e.Id < _inFlightFirst || e.Id > _inFlightLast);
        }
        return evicted;
    }

    /// <summary>Walks from the oldest event until <paramref name="done"/> holds, removing those <paramref name="remove"/> picks; under the lock.</summary>
    private long RemoveFromHead(Func<Stored, bool> done, Func<Stored, bool> remove)
    {
        long removed = 0;
        var node = _events.First;
        while (node is not null && !done(node.Value))
        {
            var next = node.Next;
            if (remove(node.Value))
            {
                _bytes -= node.Value.Json.Length;
                _events.Remove(node);
                removed++;
            }
            node = next;
        }
        Volatile.Write(ref _count, _events.Count);
        return removed;
    }

    public PendingBatch ReadOldest(int maxEvents, int maxBodyBytes)
    {
        lock (_lock)
        {
            var batch = new PendingBatch(Math.Min(maxBodyBytes, 64 * 1024)) { FromBacklog = true };
            var body = 1;
            var after = _inFlightFirst <= _inFlightLast ? _inFlightLast : long.MinValue; // another batch is in flight: the next ones
            foreach (var e in _events)
            {
                if (e.Id <= after)
                    continue;
                if (batch.Count >= maxEvents || (batch.Count > 0 && body + e.Json.Length + 1 > maxBodyBytes))
                    break;
                batch.Add(e.Json, e.Name, e.Id);
                body += e.Json.Length + 1;
            }
            if (batch.Count > 0)
                (_inFlightFirst, _inFlightLast) = (after == long.MinValue ? batch.Id(0) : _inFlightFirst, batch.Id(batch.Count - 1));
            return batch;
        }
    }

    public long Remove(long firstId, long lastId)
    {
        lock (_lock)
            return RemoveFromHead(e => e.Id > lastId, e => e.Id >= firstId);
    }

    public void Release()
    {
        lock (_lock)
            (_inFlightFirst, _inFlightLast) = (1, 0);
    }

    public (long Id, int Failures) Defer(long id, bool countFailure)
    {
        lock (_lock)
        {
            for (var node = _events.First; node is not null; node = node.Next)
            {
                if (node.Value.Id != id)
                    continue;
                _events.Remove(node);
                var moved = node.Value with { Id = _nextId++, Failures = node.Value.Failures + (countFailure ? 1 : 0) };
                _events.AddLast(moved);
                return (moved.Id, moved.Failures);
            }
            return (0, 0);
        }
    }

    public long DropVolatile() => Clear();

    /// <summary>Empties the backlog; returns how many events it held.</summary>
    public long Clear()
    {
        lock (_lock)
        {
            var count = _events.Count;
            _events.Clear();
            _bytes = 0;
            Volatile.Write(ref _count, 0);
            return count;
        }
    }

    public void Dispose()
    {
    }

    private sealed record Stored(long Id, string Name, byte[] Json, int Failures = 0);
}
