using Microsoft.Data.Sqlite;
using ThriveStack.AutoTrack.Dispatch;

namespace ThriveStack.AutoTrack.Tests.Dispatch;

/// <summary>The spool's files: the database and its schema, the lock that keeps a second process out, a damaged file moved aside.</summary>
public sealed class SpoolFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "autotrack-spoolfile-" + Guid.NewGuid().ToString("N"));

    /// <summary>The lock, then the database, as the spool opens them.</summary>
    private static (string Path, FileStream LockFile, SqliteConnection Connection) Open(string path)
    {
        var (fullPath, lockFile) = SpoolFile.Lock(path);
        return (fullPath, lockFile, SpoolFile.OpenDatabase(fullPath));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Open_CreatesTheDirectoryTheDatabaseAndTheLock_InWalMode_AtTheCurrentSchema()
    {
        var path = Path.Combine(_dir, "nested", "spool.db");

        var (fullPath, lockFile, connection) = Open(path);
        using (lockFile)
        using (connection)
        {
            Assert.Equal(Path.GetFullPath(path), fullPath);
            Assert.True(File.Exists(path + ".lock"));
            Assert.Equal(SpoolFile.SchemaVersion, SpoolFile.Scalar(connection, "PRAGMA user_version"));
            Assert.Equal(1, SpoolFile.Scalar(connection, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'failures'"));
            using var mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string)mode.ExecuteScalar()!);
        }
    }

    [Fact]
    public void Open_WhileAnotherHoldsTheLock_Refused_ThenAllowedOnceReleased()
    {
        var path = Path.Combine(_dir, "spool.db");
        var (_, lockFile, connection) = Open(path);

        Assert.ThrowsAny<IOException>(() => SpoolFile.Lock(path));

        lockFile.Dispose();
        connection.Dispose();
        var (_, again, second) = Open(path);
        again.Dispose();
        second.Dispose();
    }

    [Fact]
    public void Open_ADamagedFile_MovedAsideForInspection_AndAFreshSpoolStarts()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "spool.db");
        File.WriteAllText(path, "this is not a database, it is a text file that happens to be long enough to have a header page");

        var (_, lockFile, connection) = Open(path);
        using (lockFile)
        using (connection)
            Assert.Equal(0, SpoolFile.Scalar(connection, "SELECT COUNT(*) FROM events"));

        var aside = Assert.Single(Directory.GetFiles(_dir, "spool.db.corrupt-*"));
        Assert.StartsWith("this is not a database", File.ReadAllText(aside), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AVersion1Spool_GainsTheFailuresColumn_AndKeepsItsRows()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "spool.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB NOT NULL); INSERT INTO events (name, body) VALUES ('page_visit', x'7B7D')";
            create.ExecuteNonQuery();
        }

        var (_, lockFile, connection) = Open(path);
        using (lockFile)
        using (connection)
        {
            Assert.Equal(1, SpoolFile.Scalar(connection, "SELECT COUNT(*) FROM events WHERE failures = 0"));
            Assert.Equal(SpoolFile.SchemaVersion, SpoolFile.Scalar(connection, "PRAGMA user_version"));
        }
    }
}
