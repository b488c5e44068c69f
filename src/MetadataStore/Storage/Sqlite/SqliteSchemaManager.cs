using System.Globalization;
using MetadataStore.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// Creates MLMD's schema in an empty database, or verifies an existing one and, in
/// <see cref="SchemaMode.CreateOrUpgrade"/>, upgrades an older MLMD schema (<see cref="SqliteMigrations"/>). Verification only reads, so a refused
/// database is left exactly as it was; creation runs in one <c>BEGIN IMMEDIATE</c> transaction and looks again
/// inside it, so that when several processes open a new file at once one creates and the others verify.
/// </summary>
internal sealed class SqliteSchemaManager(SqliteBackend backend, string dataSource, ILogger logger)
{
    public void Open(SchemaMode mode, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Mode=ReadOnly, or a file SQLite could only open for reading: opening then never tries to write.
        var readOnly = backend.IsReadOnly || SQLitePCL.raw.sqlite3_db_readonly(backend.Connection.Handle, "main") == 1;
        var tables = ReadTables(null);
        if (tables.Count == 0)
        {
            if (mode == SchemaMode.VerifyOnly)
            {
                throw Refuse(MetadataErrorCode.FailedPrecondition, "the database is empty and the schema mode is VerifyOnly, which never creates a schema");
            }

            if (readOnly)
            {
                throw Refuse(MetadataErrorCode.FailedPrecondition, "the database is empty and the connection is read-only, so no schema can be created");
            }

            UseWriteAheadLog();
            using (var transaction = backend.Connection.BeginTransaction(deferred: false))
            {
                tables = ReadTables(transaction);
                if (tables.Count == 0)
                {
                    backend.ExecuteText(SqliteSchema.CreateTables, transaction);
                    backend.ExecuteText(SqliteSchema.CreateIndexes, transaction);
                    backend.ExecuteText(SqliteSchema.CreateExtraIndexes, transaction);
                    backend.ExecuteText(SqliteSchema.CreateTypeUniqueIndex, transaction);
                    backend.ExecuteText(SqliteSchema.InsertVersion, transaction);
                    backend.ExecuteText(SqliteSchema.UpsertSystemTypes, transaction);
                    transaction.Commit();
                    Log.SchemaCreated(logger, SqliteSchema.Version, dataSource);
                    return;
                }

                // Another connection created it in the meantime: verify what it wrote.
                transaction.Commit();
            }
        }

        var version = Verify(tables, mode);
        if (version < SqliteSchema.Version)
        {
            // Upgrade before the switch to WAL, so a refused or failed upgrade leaves the file byte for byte as it was.
            var from = new SqliteMigrations(backend, Refuse).Upgrade(cancellationToken);
            if (from < SqliteSchema.Version)
            {
                Log.SchemaUpgraded(logger, (int)from, SqliteSchema.Version, dataSource);
            }
        }

        if (mode == SchemaMode.VerifyOnly || readOnly)
        {
            // Without our extra indexes (a file MLMD wrote) reads still work, only slower.
            Log.SchemaVerified(logger, SqliteSchema.Version, dataSource);
            return;
        }

        UseWriteAheadLog();

        // A complete database is only read, so concurrent openers never queue for the writer.
        if (Convert.ToInt64(backend.ScalarText(SqliteSchema.NeedsCompletion), CultureInfo.InvariantCulture) != 0)
        {
            using var transaction = backend.Connection.BeginTransaction(deferred: false);
            backend.ExecuteText(SqliteSchema.CreateExtraIndexes, transaction);
            try
            {
                backend.ExecuteText("SAVEPOINT mds_type_index;", transaction);
                backend.ExecuteText(SqliteSchema.CreateTypeUniqueIndex, transaction);
                backend.ExecuteText("RELEASE mds_type_index;", transaction);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                // The database already holds duplicate types (MLMD checks uniqueness only in code): go without the index.
                backend.ExecuteText("ROLLBACK TO mds_type_index; RELEASE mds_type_index;", transaction);
            }

            backend.ExecuteText(SqliteSchema.UpsertSystemTypes, transaction);
            transaction.Commit();
        }

        Log.SchemaVerified(logger, SqliteSchema.Version, dataSource);
    }

    private long Verify(List<string> tables, SchemaMode mode)
    {
        var present = new HashSet<string>(tables, StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        var found = new List<string>();
        foreach (var table in SqliteSchema.Tables)
        {
            (present.Contains(table) ? found : missing).Add(table);
        }

        if (found.Count == 0)
        {
            throw Refuse(
                MetadataErrorCode.FailedPrecondition,
                $"the database is not an MLMD database: it holds {Describe(tables)} and none of MLMD's tables");
        }

        if (!present.Contains("MLMDEnv"))
        {
            throw Refuse(
                MetadataErrorCode.FailedPrecondition,
                $"the database holds MLMD tables ({string.Join(", ", found)}) but no MLMDEnv table, so its schema version is unknown; missing: {string.Join(", ", missing)}");
        }

        var versions = new List<object?>();
        using (var command = backend.Connection.CreateCommand())
        {
            command.CommandText = """SELECT "schema_version" FROM "MLMDEnv";""";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                versions.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
            }
        }

        if (versions.Count != 1 || versions[0] is not long version)
        {
            throw Refuse(
                MetadataErrorCode.FailedPrecondition,
                $"MLMDEnv holds {versions.Count} row(s) ({Describe(versions)}); an MLMD database holds exactly one integer schema_version");
        }

        if (version > SqliteSchema.Version)
        {
            throw Refuse(
                MetadataErrorCode.FailedPrecondition,
                $"database schema version {version} is newer than this library's {SqliteSchema.Version} (written by {SqliteMigrations.WrittenBy(version)}); open it with a newer version of the library");
        }

        if (version < SqliteSchema.Version)
        {
            var writer = SqliteMigrations.WrittenBy(version);
            if (version < SqliteMigrations.OldestUpgradable)
            {
                throw Refuse(
                    MetadataErrorCode.FailedPrecondition,
                    $"database schema version {version} (written by {writer}) is older than this library can upgrade (versions {SqliteMigrations.OldestUpgradable} to {SqliteSchema.Version - 1}); upgrade it first by opening it with MLMD 1.11 or later with upgrade migration enabled");
            }

            if (mode != SchemaMode.CreateOrUpgrade)
            {
                throw Refuse(
                    MetadataErrorCode.FailedPrecondition,
                    $"database schema version {version} (written by {writer}) is older than this library's {SqliteSchema.Version}; open it with SchemaMode.CreateOrUpgrade to upgrade it in place (afterwards only MLMD 1.11 and later can open it)");
            }

            if (backend.IsReadOnly)
            {
                throw Refuse(
                    MetadataErrorCode.FailedPrecondition,
                    $"database schema version {version} (written by {writer}) needs an upgrade, which a read-only connection cannot write; open it read-write with SchemaMode.CreateOrUpgrade once");
            }

            return version;
        }

        if (missing.Count > 0)
        {
            throw Refuse(
                MetadataErrorCode.FailedPrecondition,
                $"the database has a partial MLMD schema version {version}: missing table(s) {string.Join(", ", missing)}");
        }

        return version;
    }

    private List<string> ReadTables(SqliteTransaction? transaction)
    {
        var tables = new List<string>();
        using var command = backend.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT "name" FROM sqlite_master
            WHERE "type" IN ('table', 'view') AND "name" NOT LIKE 'sqlite\_%' ESCAPE '\'
            ORDER BY "name";
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private void UseWriteAheadLog()
    {
        if (backend.IsMemory)
        {
            return;
        }

        // Reading the mode first keeps a database already in WAL mode free of any write.
        if (!string.Equals(backend.ScalarText("PRAGMA journal_mode;") as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            backend.ScalarText("PRAGMA journal_mode = WAL;");
        }
    }

    private MetadataStoreException Refuse(MetadataErrorCode code, string reason)
    {
        Log.SchemaRefused(logger, dataSource, reason);
        return new MetadataStoreException(code, $"Cannot open the database '{dataSource}': {reason}.");
    }

    private static string Describe<T>(List<T> items)
    {
        if (items.Count == 0)
        {
            return "nothing";
        }

        var shown = new List<string>();
        for (var i = 0; i < items.Count && i < 20; i++)
        {
            shown.Add(items[i]?.ToString() ?? "NULL");
        }

        return string.Join(", ", shown) + (items.Count > 20 ? $" and {items.Count - 20} more" : string.Empty);
    }
}
