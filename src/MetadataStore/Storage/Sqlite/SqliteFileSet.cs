namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// What a database file and its write-ahead log looked like before an open, so that a refused open can leave the
/// folder as it found it.
/// </summary>
internal sealed class SqliteFileSet
{
    private readonly string _path;

    private SqliteFileSet(string path)
    {
        _path = path;
        DatabaseExisted = File.Exists(path);
        var wal = new FileInfo(path + "-wal");
        WalHadFrames = wal.Exists && wal.Length > 0;
    }

    /// <summary>Whether the database file existed before the open.</summary>
    public bool DatabaseExisted { get; }

    /// <summary>Whether a non-empty write-ahead log lay beside it, which closing the last connection would checkpoint into the file.</summary>
    public bool WalHadFrames { get; }

    /// <summary>The files of <paramref name="dataSource"/>, or null when it is not a plain file path (a URI filename).</summary>
    public static SqliteFileSet? Capture(string dataSource) =>
        SqliteErrors.FilePath(dataSource) is { } path ? new SqliteFileSet(path) : null;

    /// <summary>
    /// After a failed open, deletes the database file if that open created it and it is still empty. A -wal or
    /// -shm file beside it means another connection uses it, so then it stays.
    /// </summary>
    public void RemoveEmptyDatabaseCreatedByOpen()
    {
        if (DatabaseExisted)
        {
            return;
        }

        try
        {
            var file = new FileInfo(_path);
            if (file.Exists && file.Length == 0 && !File.Exists(_path + "-wal") && !File.Exists(_path + "-shm"))
            {
                file.Delete();
            }
        }
        catch (IOException)
        {
            // Best effort: the open already failed with its own error, which is the one to report.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
