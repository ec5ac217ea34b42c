using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The durable backlog as the dispatcher uses it: the SQLite spool, and a bounded memory backlog for when the spool
/// cannot be written (a full disk, a directory made read-only, an I/O error). Events go to memory only while the
/// spool fails, and stay there until memory has drained, so the oldest events still go first: the spool's, then
/// memory's, then the spool's again. A full disk therefore loses nothing while memory's bound holds, and never stops
/// delivery.
/// </summary>
/// <remarks>
/// The database is opened when the first events need it, unless an earlier run left one: an app whose API always
/// answers never loads SQLite (about 5 MiB resident). Its lock is taken at once, so the location is checked, and owned,
/// from the start. Thread-safe as its parts are: the collecting loop appends while the sending loop reads and removes;
/// the spool is opened under <c>_openLock</c> and published once.
/// </remarks>
internal sealed class SpoolWithFallback : IEventBacklog
{
    /// <summary>Memory's ids start here, far above any spool row id, so <see cref="Remove"/> knows which part holds an event.</summary>
    internal const long MemoryIds = 1L << 62;

    private readonly MemoryBacklog _memory;
    private readonly Action<Exception> _spoolFailed;
    private readonly Lock _openLock = new();
    private readonly long _maxSpoolBytes;
    private SqliteSpool? _spool;     // null until opened; then never changes
    private FileStream? _lockFile;   // held until the spool owns it, or until disposed if it never opens

    /// <summary>Over a spool already open.</summary>
    public SpoolWithFallback(SqliteSpool spool, long maxMemoryEvents, long maxMemoryBytes, Action<Exception> spoolFailed)
        : this(spool.Path, maxMemoryEvents, maxMemoryBytes, spoolFailed)
    {
        spool.WriteFailed = spoolFailed;
        _spool = spool;
    }

    // maxBytes bounds the spool (MaxSpoolBytes) and memory alike; memory also holds at most maxMemoryEvents (MaxQueueSize).
    private SpoolWithFallback(string path, long maxMemoryEvents, long maxBytes, Action<Exception> spoolFailed)
    {
        Path = path;
        _maxSpoolBytes = maxBytes;
        _memory = new MemoryBacklog(maxMemoryEvents, maxBytes, MemoryIds);
        _spoolFailed = spoolFailed;
    }

    /// <summary>
    /// Takes the lock of the spool at <paramref name="path"/>, and opens its database now only if an earlier run left
    /// one (its events are sent first); otherwise when the first events need it.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be created, or another process holds the spool.</exception>
    /// <exception cref="UnauthorizedAccessException">The location is read-only.</exception>
    /// <exception cref="SqliteException">An existing file cannot be opened as a database.</exception>
    public static SpoolWithFallback Open(string path, long maxEvents, long maxBytes, Action<Exception> spoolFailed)
    {
        var (fullPath, lockFile) = SpoolFile.Lock(path);
        if (SpoolFile.Exists(fullPath))
        {
            try
            {
                return new SpoolWithFallback(SqliteSpool.Open(fullPath, lockFile, maxBytes), maxEvents, maxBytes, spoolFailed);
            }
            catch
            {
                lockFile.Dispose();
                throw;
            }
        }
        return new SpoolWithFallback(fullPath, maxEvents, maxBytes, spoolFailed) { _lockFile = lockFile };
    }

    /// <summary>The spool itself, opened if it was not yet (tests).</summary>
    internal SqliteSpool Spool => SpoolForWrite() ?? throw new InvalidOperationException("The spool could not be opened.");

    /// <summary>Whether the database is open (it opens when the first events need it).</summary>
    internal bool IsOpen => Volatile.Read(ref _spool) is not null;

    /// <summary>The spool's file.</summary>
    public string Path { get; }

    /// <summary>False while events wait in memory because the spool could not take them.</summary>
    public bool IsDurable => _memory.Count == 0;

    public long Count => (Volatile.Read(ref _spool)?.Count ?? 0) + _memory.Count;

    public long Bytes => (Volatile.Read(ref _spool)?.Bytes ?? 0) + _memory.Bytes;

    /// <summary>The open spool, opening it the first time; null when it cannot be opened (events then wait in memory).</summary>
    private SqliteSpool? SpoolForWrite()
    {
        if (Volatile.Read(ref _spool) is { } open)
            return open;
        lock (_openLock)
        {
            if (_spool is not null || _lockFile is null)
                return _spool;
            var lockFile = _lockFile;
            _lockFile = null;
            try
            {
                var spool = SqliteSpool.Open(Path, lockFile, _maxSpoolBytes);
                spool.WriteFailed = _spoolFailed;
                Volatile.Write(ref _spool, spool);
                return spool;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException || SpoolFile.IsDatabaseError(ex))
            {
                lockFile.Dispose();
                _spoolFailed(ex); // memory only from now on
                return null;
            }
        }
    }

    public long Append(PendingBatch batch, int start, int count)
    {
        if (_memory.Count == 0 && SpoolForWrite() is { } spool)
        {
            try
            {
                return spool.Append(batch, start, count);
            }
            catch (Exception ex) when (SpoolFile.IsDatabaseError(ex))
            {
                _spoolFailed(ex); // e.g. SQLITE_FULL (13), SQLITE_READONLY (8), SQLITE_IOERR (10)
            }
        }
        return _memory.Append(batch, start, count);
    }

    public PendingBatch ReadOldest(int maxEvents, int maxBodyBytes)
    {
        if (Volatile.Read(ref _spool) is { Count: > 0 } spool)
        {
            try
            {
                var batch = spool.ReadOldest(maxEvents, maxBodyBytes);
                if (batch.Count > 0)
                    return batch;
                batch.Dispose();
            }
            catch (Exception ex) when (SpoolFile.IsDatabaseError(ex))
            {
                _spoolFailed(ex); // memory's events are newer, but an unreadable spool must not hold them back
            }
        }
        return _memory.ReadOldest(maxEvents, maxBodyBytes);
    }

    // An id below MemoryIds came from the spool, which is therefore open.
    public long Remove(long firstId, long lastId)
        => firstId >= MemoryIds ? _memory.Remove(firstId, lastId) : _spool!.Remove(firstId, lastId);

    public (long Id, int Failures) Defer(long id, bool countFailure)
        => id >= MemoryIds ? _memory.Defer(id, countFailure) : _spool!.Defer(id, countFailure);

    public void Release()
    {
        Volatile.Read(ref _spool)?.Release();
        _memory.Release();
    }

    public long DropVolatile() => _memory.Clear();

    public void Dispose()
    {
        lock (_openLock)
        {
            _spool?.Dispose();
            _lockFile?.Dispose();
            _lockFile = null;
        }
    }
}
