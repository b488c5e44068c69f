using System.Data.Common;
using System.Net.Sockets;
using MetadataStore.Storage.Relational;
using Npgsql;

namespace MetadataStore.PostgreSql;

/// <summary>PostgreSQL errors by SQLSTATE code (and Npgsql's own by their cause), never by message text.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>Classifies a provider error.</summary>
    public static StorageError Classify(DbException exception, string schema)
    {
        if (exception is PostgresException postgres)
        {
            return Classify(postgres, schema);
        }

        if (exception is NpgsqlException npgsql && IsConnectionFailure(npgsql))
        {
            return new StorageError(
                StorageErrorKind.Unavailable,
                $"The PostgreSQL server cannot be reached or the connection was lost ({npgsql.InnerException?.Message ?? npgsql.Message}); retry when it is back.")
            { IsTransient = true };
        }

        return new StorageError(StorageErrorKind.Internal, $"PostgreSQL failed: {exception.Message}");
    }

    private static StorageError Classify(PostgresException e, string schema)
    {
        var code = e.SqlState;
        var what = $"{e.MessageText} (SQLSTATE {code})";
        switch (code)
        {
            case PostgresErrorCodes.UniqueViolation:
                return new StorageError(StorageErrorKind.UniqueViolation, $"A unique key refused the write: {what}.") { Table = e.TableName };
            case PostgresErrorCodes.SerializationFailure:
            case PostgresErrorCodes.DeadlockDetected:
            case PostgresErrorCodes.LockNotAvailable:
                return new StorageError(StorageErrorKind.Conflict, $"The transaction conflicted with a concurrent one: {what}.") { IsTransient = true };
            case PostgresErrorCodes.InsufficientPrivilege:
            case PostgresErrorCodes.ReadOnlySqlTransaction:
                return new StorageError(
                    StorageErrorKind.PermissionDenied,
                    $"The PostgreSQL role may not do this in schema '{schema}': {what}. Connect as a role with the privilege (see the README's PostgreSQL roles).");
            case PostgresErrorCodes.InvalidPassword:
            case PostgresErrorCodes.InvalidAuthorizationSpecification:
                return new StorageError(StorageErrorKind.PermissionDenied, $"PostgreSQL refused the login: {what}.");
            case PostgresErrorCodes.InvalidCatalogName:
                return new StorageError(StorageErrorKind.PermissionDenied, $"The PostgreSQL database does not exist: {what}.");
            case PostgresErrorCodes.InvalidSchemaName:
            case PostgresErrorCodes.UndefinedTable:
                return new StorageError(
                    StorageErrorKind.PermissionDenied,
                    $"The store's tables are missing from schema '{schema}': {what}. Was the schema dropped while the store was open?");
            case PostgresErrorCodes.StringDataRightTruncation:
                return new StorageError(StorageErrorKind.TooLarge, $"A value is longer than its column allows (names and external ids take at most 255 characters): {what}.");
            case PostgresErrorCodes.ProgramLimitExceeded:
            case PostgresErrorCodes.StatementTooComplex:
            case PostgresErrorCodes.NumericValueOutOfRange:
                return new StorageError(StorageErrorKind.TooLarge, $"A value or request exceeds a PostgreSQL limit: {what}.");
            case PostgresErrorCodes.CharacterNotInRepertoire:
            case PostgresErrorCodes.UntranslatableCharacter:
                return new StorageError(StorageErrorKind.TooLarge, $"PostgreSQL cannot store a character of a text value (text may not contain U+0000): {what}.");
            case PostgresErrorCodes.DataCorrupted:
            case PostgresErrorCodes.IndexCorrupted:
                return new StorageError(StorageErrorKind.DataLoss, $"PostgreSQL reports damaged data: {what}.");
            case PostgresErrorCodes.QueryCanceled:
                return new StorageError(StorageErrorKind.Aborted, $"PostgreSQL cancelled the statement: {what}.");
        }

        // Class 08 (connection exception), 57P01-57P03 (the server is shutting down or starting), 53 (insufficient
        // resources: too many connections, disk full, out of memory).
        if (code.StartsWith("08", StringComparison.Ordinal) || code is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow || code.StartsWith("53", StringComparison.Ordinal))
        {
            return new StorageError(StorageErrorKind.Unavailable, $"The PostgreSQL server is unavailable: {what}; retry when it is back.") { IsTransient = true };
        }

        return new StorageError(StorageErrorKind.Internal, $"PostgreSQL failed: {what}.");
    }

    private static bool IsConnectionFailure(NpgsqlException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or TimeoutException or EndOfStreamException)
            {
                return true;
            }
        }

        // Npgsql marks network failures (and a broken connection) as transient.
        return exception.IsTransient;
    }
}
