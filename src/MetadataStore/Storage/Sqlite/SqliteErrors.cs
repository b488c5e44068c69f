using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// Turns a SQLite error into a <see cref="MetadataStoreException"/>, keyed on SQLite's result codes (never on
/// message text), so no provider exception leaves the store. A missing folder or file is told apart from a
/// permission problem by looking at the file system, since SQLite reports both as SQLITE_CANTOPEN.
/// </summary>
internal static class SqliteErrors
{
    // Primary result codes (https://sqlite.org/rescode.html).
    public const int Perm = 3;
    public const int Abort = 4;
    public const int Busy = 5;
    public const int Locked = 6;
    public const int ReadOnly = 8;
    public const int Interrupt = 9;
    public const int IoErr = 10;
    public const int Corrupt = 11;
    public const int Full = 13;
    public const int CantOpen = 14;
    public const int Schema = 17;
    public const int TooBig = 18;
    public const int Constraint = 19;
    public const int Auth = 23;
    public const int NotADatabase = 26;

    // Extended result codes.
    public const int IoErrShortRead = 522;
    public const int IoErrNoMem = 3082;
    public const int IoErrCorruptFs = 8458;
    public const int ReadOnlyRecovery = 264;
    public const int ReadOnlyCantLock = 520;
    public const int ReadOnlyRollback = 776;
    public const int ReadOnlyDbMoved = 1032;
    public const int ReadOnlyCantInit = 1288;
    public const int ReadOnlyDirectory = 1544;
    public const int ConstraintPrimaryKey = 1555;
    public const int ConstraintUnique = 2067;

    /// <summary>Whether the error is a lock conflict with another connection (SQLITE_BUSY or SQLITE_LOCKED).</summary>
    public static bool IsBusy(SqliteException ex) => ex.SqliteErrorCode is Busy or Locked;

    /// <summary>Whether the error says the file is damaged or not a database at all.</summary>
    public static bool IsDamage(SqliteException ex) =>
        ex.SqliteErrorCode is Corrupt or NotADatabase || ex.SqliteExtendedErrorCode is IoErrShortRead or IoErrCorruptFs;

    /// <summary>Translates a provider error on the database <paramref name="dataSource"/> (null when unknown).</summary>
    public static MetadataStoreException Translate(SqliteException ex, string? dataSource)
    {
        var database = string.IsNullOrEmpty(dataSource) ? "The database" : $"The database '{dataSource}'";
        var sqlite = string.Create(CultureInfo.InvariantCulture, $"SQLite error {ex.SqliteExtendedErrorCode}: {ex.Message}");

        if (ex.SqliteExtendedErrorCode is ConstraintPrimaryKey or ConstraintUnique)
        {
            return new MetadataStoreException(MetadataErrorCode.AlreadyExists, $"A unique key already holds the value written ({sqlite}).", ex);
        }

        if (IsDamage(ex))
        {
            return new MetadataStoreException(
                MetadataErrorCode.DataLoss,
                $"{database} is damaged or is not a SQLite database ({sqlite}). It was left as it is; restore it from a backup.",
                ex);
        }

        switch (ex.SqliteErrorCode)
        {
            case Busy or Locked:
                return new MetadataStoreException(
                    MetadataErrorCode.Aborted,
                    $"{database} is locked by another connection ({sqlite}); retry the request.",
                    ex) { IsTransient = true };
            case Abort or Schema or Interrupt:
                return new MetadataStoreException(MetadataErrorCode.Aborted, $"{database} aborted the statement ({sqlite}); retry the request.", ex) { IsTransient = true };
            case ReadOnly:
                return new MetadataStoreException(MetadataErrorCode.FailedPrecondition, $"{database} cannot be written ({sqlite}): {ReadOnlyAdvice(ex.SqliteExtendedErrorCode)}.", ex);
            case Perm or Auth:
                return new MetadataStoreException(
                    MetadataErrorCode.FailedPrecondition,
                    $"{database} denied access ({sqlite}): give the process read and write access to the file and its folder.",
                    ex);
            case CantOpen:
                return CannotOpen(ex, dataSource, database, sqlite);
            case Full:
                return new MetadataStoreException(
                    MetadataErrorCode.Unavailable,
                    $"{database} cannot grow: the disk is full or the database reached its size limit ({sqlite}); free space, then retry.",
                    ex);
            case IoErr when ex.SqliteExtendedErrorCode != IoErrNoMem:
                // A failed read or write of the file: it may pass (a network share coming back), so a retry may help.
                return new MetadataStoreException(
                    MetadataErrorCode.Unavailable,
                    $"{database} could not be read or written ({sqlite}); retry, and check the disk if it persists.",
                    ex) { IsTransient = true };
            case TooBig:
                return new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"A value is larger than SQLite allows ({sqlite}).", ex);
            default:
                return new MetadataStoreException(MetadataErrorCode.Internal, $"{database} failed ({sqlite}).", ex);
        }
    }

    private static MetadataStoreException CannotOpen(SqliteException ex, string? dataSource, string database, string sqlite)
    {
        var path = FilePath(dataSource);
        if (path is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder))
            {
                return new MetadataStoreException(
                    MetadataErrorCode.Unavailable,
                    $"{database} cannot be opened: its folder '{folder}' does not exist ({sqlite}); create the folder first.",
                    ex);
            }

            if (Directory.Exists(path))
            {
                return new MetadataStoreException(MetadataErrorCode.FailedPrecondition, $"{database} cannot be opened: the path names a folder, not a file ({sqlite}).", ex);
            }

            if (!File.Exists(path))
            {
                return new MetadataStoreException(
                    MetadataErrorCode.Unavailable,
                    $"{database} cannot be opened: the file does not exist and the connection's mode does not create it ({sqlite}); use Mode=ReadWriteCreate to create it.",
                    ex);
            }
        }

        return new MetadataStoreException(
            MetadataErrorCode.FailedPrecondition,
            $"{database} cannot be opened ({sqlite}): give the process read and write access to the file and its folder (a write-ahead-log database needs its -wal and -shm files beside it).",
            ex);
    }

    private static string ReadOnlyAdvice(int extendedCode) => extendedCode switch
    {
        ReadOnlyDbMoved => "the file was moved or deleted while the store had it open; dispose the store and open it again",
        ReadOnlyRollback => "an interrupted transaction must be rolled back first, which needs write access; give the process write access to the file and its folder",
        ReadOnlyRecovery or ReadOnlyCantLock or ReadOnlyCantInit or ReadOnlyDirectory =>
            "a write-ahead-log database needs to create or write its -wal and -shm files beside it; give the process write access to the folder, or copy the database to a writable folder",
        _ => "the file, its folder or the connection (Mode=ReadOnly) is read-only; give the process write access to the file and its folder, or only read through a read-only store",
    };

    /// <summary>The data source as a file path, or null for a URI filename or an in-memory database.</summary>
    public static string? FilePath(string? dataSource)
    {
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return dataSource;
    }
}
