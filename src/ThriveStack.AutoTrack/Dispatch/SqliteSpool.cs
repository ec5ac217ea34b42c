using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The durable backlog: one SQLite database in WAL mode, one row per event (its JSON exactly as it will be sent and
/// its name). Commits survive the process being killed (WAL with <c>synchronous=NORMAL</c>; a power cut may lose the
/// last commits). Bounded by <c>maxBytes</c> of event JSON; beyond it the oldest rows go.
/// </summary>
/// <remarks>
/// One process owns a spool at a time: a <c>.lock</c> file beside the database is held open exclusively, so a second
/// instance of the app with the same path runs memory-only instead of sending the same rows twice. The OS releases the
/// lock when the process dies, however it dies.
/// </remarks>
internal sealed partial class SqliteSpool : IEventBacklog
{
    // 1: events (id, name, body). 2: + failures, how often the API failed on the event alone while it took others.
    private readonly SqliteConnection _connection;
    private readonly FileStream _lockFile;
    private readonly Lock _lock = new();
    private readonly long _maxBytes;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _insertName;
    private readonly SqliteParameter _insertBody;
    private long _count;
    private long _bytes;
    private long _inFlightFirst = 1, _inFlightLast; // ids of the batches being sent, from the head (empty when first > last); under _lock
    // Rows up to this id were delivered (or dropped) but could not be deleted (a full disk fails a DELETE too, since WAL
    // must grow): they are invisible, never read or counted again, and deleted by the next write that succeeds. Under _lock.
    private long _settledThrough;
    private bool _disposed;

    private SqliteSpool(string path, FileStream lockFile, SqliteConnection connection, long maxBytes)
    {
        Path = path;
        _lockFile = lockFile;
        _connection = connection;
        _maxBytes = maxBytes;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO events (name, body) VALUES ($name, $body)";
        _insertName = _insert.Parameters.Add("$name", SqliteType.Text);
        _insertBody = _insert.Parameters.Add("$body", SqliteType.Blob);
        using var stats = connection.CreateCommand();
        stats.CommandText = "SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM events";
        using var reader = stats.ExecuteReader();
        reader.Read();
        _count = reader.GetInt64(0);
        _bytes = reader.GetInt64(1);
    }

    /// <summary>The connection, for tests that make it fail (<c>PRAGMA query_only</c>, <c>max_page_count</c>).</summary>
    internal SqliteConnection ConnectionForTests => _connection;

    /// <summary>The database file.</summary>
    public string Path { get; }

    public bool IsDurable => true;

    public long Count => Volatile.Read(ref _count);

    public long Bytes => Volatile.Read(ref _bytes);

    public long Append(PendingBatch batch, int start, int count)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            if (_settledThrough > 0)
                DeleteSettled(transaction);
            _insert.Transaction = transaction;
            long added = 0;
            for (var i = start; i < start + count; i++)
            {
                var json = batch.Json(i);
                _insertName.Value = batch.Name(i);
                _insertBody.Value = json.ToArray();
                _insert.ExecuteNonQuery();
                added += json.Length;
            }
            var bytes = _bytes + added;
            var rows = _count + count;
            long evicted = 0;
            if (bytes > _maxBytes)
                (evicted, bytes) = EvictOldest(transaction, bytes - _maxBytes, bytes);
            transaction.Commit();
            _settledThrough = 0;
            Volatile.Write(ref _bytes, bytes);
            Volatile.Write(ref _count, rows - evicted);
            return evicted;
        }
    }

    private (long Evicted, long Bytes) EvictOldest(SqliteTransaction transaction, long excess, long bytes)
    {
        long evicted = 0, freed = 0, lastId = -1;
        using (var oldest = Command("SELECT id, length(body) FROM events WHERE id > $settled AND id NOT BETWEEN $first AND $last ORDER BY id", transaction,
            ("$settled", _settledThrough), ("$first", _inFlightFirst), ("$last", _inFlightLast)))
        {
            using var reader = oldest.ExecuteReader();
            while (freed < excess && reader.Read())
            {
                lastId = reader.GetInt64(0);
                freed += reader.GetInt64(1);
                evicted++;
            }
        }
        if (evicted > 0)
        {
            using var delete = Command("DELETE FROM events WHERE id <= $last AND id NOT BETWEEN $inFlightFirst AND $inFlightLast", transaction,
                ("$last", lastId), ("$inFlightFirst", _inFlightFirst), ("$inFlightLast", _inFlightLast));
            delete.ExecuteNonQuery();
        }
        return (evicted, bytes - freed);
    }

    public PendingBatch ReadOldest(int maxEvents, int maxBodyBytes)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var batch = new PendingBatch(Math.Min(maxBodyBytes, 64 * 1024), Math.Min(maxEvents, 128)) { FromBacklog = true };
            // While another batch is in flight, the ones after it.
            using var read = Command("SELECT id, name, body FROM events WHERE id > $settled AND id > $after ORDER BY id LIMIT $limit", null,
                ("$settled", _settledThrough), ("$after", InFlight ? _inFlightLast : 0), ("$limit", maxEvents));
            using var reader = read.ExecuteReader();
            var body = 1;
            while (reader.Read())
            {
                var json = reader.GetFieldValue<byte[]>(2);
                if (batch.Count > 0 && body + json.Length + 1 > maxBodyBytes)
                    break;
                batch.Add(json, reader.GetString(1), reader.GetInt64(0));
                body += json.Length + 1;
            }
            if (batch.Count > 0)
                (_inFlightFirst, _inFlightLast) = (InFlight ? _inFlightFirst : batch.Id(0), batch.Id(batch.Count - 1));
            return batch;
        }
    }

    /// <summary>
    /// Deletes delivered rows. When the delete fails (disk full, read-only), the rows are still settled: they are skipped
    /// from then on and deleted by the next write that succeeds, so a delivered event is never sent again by this process
    /// (after a crash before that, it is: delivery is at least once). Throws only when the spool cannot even be read.
    /// </summary>
    public long Remove(long firstId, long lastId)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long removed = 0, bytes = 0;
            try
            {
                using var delete = RangeCommand("DELETE FROM events WHERE id <= $settled OR id BETWEEN $first AND $last RETURNING id, length(body)", firstId, lastId);
                using var reader = delete.ExecuteReader();
                while (reader.Read())
                {
                    if (reader.GetInt64(0) <= _settledThrough)
                        continue; // counted when it was settled
                    removed++;
                    bytes += reader.GetInt64(1);
                }
                reader.Close();
                _settledThrough = 0;
            }
            catch (SqliteException ex)
            {
                (removed, bytes) = Measure(firstId, lastId);
                _settledThrough = Math.Max(_settledThrough, lastId);
                WriteFailed?.Invoke(ex);
            }
            Volatile.Write(ref _count, _count - removed);
            Volatile.Write(ref _bytes, _bytes - bytes);
            return removed;
        }
    }

    /// <summary>Called (under the spool's lock) when a write failed but the spool went on: a delete that will be retried.</summary>
    public Action<Exception>? WriteFailed { get; set; }

    public (long Id, int Failures) Defer(long id, bool countFailure)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var move = Command("UPDATE events SET id = (SELECT MAX(id) FROM events) + 1, failures = failures + $add WHERE id = $id RETURNING id, failures", null,
                    ("$add", countFailure ? 1 : 0), ("$id", id));
                using var reader = move.ExecuteReader();
                return reader.Read() ? (reader.GetInt64(0), reader.GetInt32(1)) : (0, 0);
            }
            catch (SqliteException ex)
            {
                WriteFailed?.Invoke(ex); // it stays where it is, and is tried again
                return (id, 0);
            }
        }
    }

    public long DropVolatile() => 0; // everything here survives the process

    private bool InFlight => _inFlightFirst <= _inFlightLast;

    public void Release()
    {
        lock (_lock)
            (_inFlightFirst, _inFlightLast) = (1, 0);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _insert.Dispose();
            _connection.Dispose();
            if (_count == 0)
                DeleteEmpty(); // nothing to keep: the next run need not open a database at all
            _lockFile.Dispose();
        }
    }
}
