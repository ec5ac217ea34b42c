using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>
/// The spool's files: the database (WAL, created or upgraded to the current schema), the <c>.lock</c> file that keeps a
/// second process out, and a damaged database moved aside (<c>.corrupt-&lt;time&gt;</c>) so a new one can start.
/// </summary>
internal static class SpoolFile
{
    /// <summary>The schema: 1 had id, name and body; 2 adds <c>failures</c> (an event the API failed on by itself).</summary>
    public const int SchemaVersion = 2;

    /// <summary>
    /// Takes the spool's lock: creates the directory and the <c>.lock</c> file beside <paramref name="path"/> and holds it
    /// open exclusively. Cheap (no database): it proves the location is writable and ours before any event needs it.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be created, or another process holds the spool.</exception>
    /// <exception cref="UnauthorizedAccessException">The location is read-only.</exception>
    public static (string Path, FileStream LockFile) Lock(string path)
    {
        path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        return (path, new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
    }

    /// <summary>
    /// Whether <paramref name="ex"/> is SQLite's (<c>SqliteException</c>). Code that runs whether or not the spool is ever
    /// opened tests exceptions with this instead of naming the type: a method that names it in a <c>catch</c> or an
    /// <c>is</c> loads Microsoft.Data.Sqlite and System.Data.Common (about 1.1 MiB resident) when the JIT compiles it, in
    /// every app, even one whose API always answers.
    /// </summary>
    public static bool IsDatabaseError(Exception ex) => ex is SqliteException;

    /// <summary>Whether a database (or its write-ahead log) is at <paramref name="fullPath"/>: an earlier run may have left events in it.</summary>
    public static bool Exists(string fullPath) => File.Exists(fullPath) || File.Exists(fullPath + "-wal");

    /// <summary>Removes the database and its write-ahead files (the caller holds the lock and has closed the connection).</summary>
    public static void Delete(string fullPath)
    {
        File.Delete(fullPath);
        File.Delete(fullPath + "-wal");
        File.Delete(fullPath + "-shm");
    }

    /// <summary>Opens the database at <paramref name="fullPath"/> (the caller holds its lock); a damaged file is moved aside and a new one started.</summary>
    /// <exception cref="SqliteException">The file cannot be opened as a database.</exception>
    public static SqliteConnection OpenDatabase(string fullPath)
    {
        try
        {
            return Connect(fullPath);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            // Keep the damaged file for inspection and start afresh rather than run without a spool.
            File.Move(fullPath, fullPath + ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), overwrite: true);
            File.Delete(fullPath + "-wal");
            File.Delete(fullPath + "-shm");
            return Connect(fullPath);
        }
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL");
            Execute(connection, "PRAGMA synchronous=NORMAL");
            Execute(connection, "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB NOT NULL, failures INTEGER NOT NULL DEFAULT 0)");
            if (Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'failures'") == 0)
                Execute(connection, "ALTER TABLE events ADD COLUMN failures INTEGER NOT NULL DEFAULT 0"); // a version 1 spool
            Execute(connection, "PRAGMA user_version=" + SchemaVersion.ToString(CultureInfo.InvariantCulture));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
