using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>The spool's SQL helpers: commands over a range of rows, measuring it, deleting what is settled. Callers hold <c>_lock</c>.</summary>
internal sealed partial class SqliteSpool
{
    private (long Rows, long Bytes) Measure(long firstId, long lastId)
    {
        using var measure = RangeCommand("SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM events WHERE id > $settled AND id BETWEEN $first AND $last", firstId, lastId);
        using var reader = measure.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>A command over the rows <c>$first</c>..<c>$last</c>, with <c>$settled</c> (see <see cref="_settledThrough"/>).</summary>
    private SqliteCommand RangeCommand(string sql, long firstId, long lastId)
        => Command(sql, null, ("$settled", _settledThrough), ("$first", firstId), ("$last", lastId));

    private void DeleteSettled(SqliteTransaction transaction)
    {
        using var delete = Command("DELETE FROM events WHERE id <= $settled", transaction, ("$settled", _settledThrough));
        delete.ExecuteNonQuery();
    }

    /// <summary>A command with its parameters, in <paramref name="transaction"/> when given.</summary>
    private SqliteCommand Command(string sql, SqliteTransaction? transaction, params (string Name, long Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}
