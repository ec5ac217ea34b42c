using Microsoft.Data.Sqlite;

namespace ThriveStack.AutoTrack.Dispatch;

/// <summary>Opening a spool (with its lock, or under one already taken) and removing an empty one when it closes.</summary>
internal sealed partial class SqliteSpool
{
    /// <summary>Opens (creating when needed) the spool at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The directory cannot be created, or another process holds the spool.</exception>
    /// <exception cref="UnauthorizedAccessException">The location is read-only.</exception>
    /// <exception cref="SqliteException">The file cannot be opened as a database.</exception>
    public static SqliteSpool Open(string path, long maxBytes)
    {
        var (fullPath, lockFile) = SpoolFile.Lock(path);
        try
        {
            return Open(fullPath, lockFile, maxBytes);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Opens the spool at <paramref name="fullPath"/> under a lock already taken (<see cref="SpoolFile.Lock"/>); it owns the lock from then on.</summary>
    /// <exception cref="SqliteException">The file cannot be opened as a database.</exception>
    public static SqliteSpool Open(string fullPath, FileStream lockFile, long maxBytes)
    {
        var connection = SpoolFile.OpenDatabase(fullPath);
        try
        {
            return new SqliteSpool(fullPath, lockFile, connection, maxBytes);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void DeleteEmpty()
    {
        try
        {
            SpoolFile.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // It stays; the next run opens it, finds no rows, and tries again when it closes.
        }
    }
}
