using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The durable backlog as the dispatcher uses it: the SQLite spool, and a bounded memory backlog for when the spool
/// cannot be written (a full disk, a directory made read-only, an I/O error). Events go to memory only while the
/// spool fails, and stay there until memory has drained, so the oldest events still go first: the spool's, then
/// memory's, then the spool's again. A full disk therefore loses nothing while memory's bound holds, and never stops
/// delivery.
/// </summary>
/// <remarks>Thread-safe as its parts are: the collecting loop appends while the sending loop reads and removes.</remarks>
internal sealed class SpoolWithFallback : IEventBacklog
{
    /// <summary>Memory's ids start here, far above any spool row id, so <see cref="Remove"/> knows which part holds an event.</summary>
    internal const long MemoryIds = 1L << 62;

    private readonly SqliteSpool _spool;
    private readonly MemoryBacklog _memory;
    private readonly Action<Exception> _spoolFailed;

    public SpoolWithFallback(SqliteSpool spool, long maxMemoryEvents, long maxMemoryBytes, Action<Exception> spoolFailed)
    {
        _spool = spool;
        _memory = new MemoryBacklog(maxMemoryEvents, maxMemoryBytes, MemoryIds);
        _spoolFailed = spoolFailed;
        spool.WriteFailed = spoolFailed;
    }

    /// <summary>The spool itself.</summary>
    internal SqliteSpool Spool => _spool;

    /// <summary>The spool's file.</summary>
    public string Path => _spool.Path;

    /// <summary>False while events wait in memory because the spool could not take them.</summary>
    public bool IsDurable => _memory.Count == 0;

    public long Count => _spool.Count + _memory.Count;

    public long Bytes => _spool.Bytes + _memory.Bytes;

    public long Append(PendingBatch batch, int start, int count)
    {
        if (_memory.Count == 0)
        {
            try
            {
                return _spool.Append(batch, start, count);
            }
            catch (SqliteException ex)
            {
                _spoolFailed(ex); // e.g. SQLITE_FULL (13), SQLITE_READONLY (8), SQLITE_IOERR (10)
            }
        }
        return _memory.Append(batch, start, count);
    }

    public PendingBatch ReadOldest(int maxEvents, int maxBodyBytes)
    {
        if (_spool.Count > 0)
        {
            try
            {
                var batch = _spool.ReadOldest(maxEvents, maxBodyBytes);
                if (batch.Count > 0)
                    return batch;
                batch.Dispose();
            }
            catch (SqliteException ex)
            {
                _spoolFailed(ex); // memory's events are newer, but an unreadable spool must not hold them back
            }
        }
        return _memory.ReadOldest(maxEvents, maxBodyBytes);
    }

    public long Remove(long firstId, long lastId)
        => firstId >= MemoryIds ? _memory.Remove(firstId, lastId) : _spool.Remove(firstId, lastId);

    public (long Id, int Failures) Defer(long id, bool countFailure)
        => id >= MemoryIds ? _memory.Defer(id, countFailure) : _spool.Defer(id, countFailure);

    public void Release()
    {
        _spool.Release();
        _memory.Release();
    }

    public long DropVolatile() => _memory.Clear();

    public void Dispose() => _spool.Dispose();
}
