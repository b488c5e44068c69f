using System.Globalization;
using MetadataStore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MetadataStore.PostgreSql;

/// <summary>
/// Creates MLMD's schema in an empty PostgreSQL schema, or verifies an existing one and completes what this library
/// adds (its indexes and statistics, the event-path order table, MLMD's system types). Creation and completion run in one
/// transaction under the schema's write lock and look again inside it, so when several processes open a new schema
/// at once one creates it and the others verify. Verification only reads: a refused schema is left as it was, and a
/// writer or read-only role opens a complete schema without needing any privilege beyond its own.
/// </summary>
internal sealed class PostgreSqlSchemaManager(NpgsqlConnection connection, string schema, long lockKey, string description, ILogger logger)
{
    private static readonly string[] RequiredExtras = [PostgreSqlSchema.EventPathOrderTable];

    public async Task OpenAsync(SchemaMode mode, CancellationToken cancellationToken)
    {
        var state = await ReadStateAsync(null, cancellationToken).ConfigureAwait(false);
        if (!state.HasAnyMlmdTable)
        {
            if (mode == SchemaMode.VerifyOnly)
            {
                throw Refuse($"schema '{schema}' holds no MLMD tables and the schema mode is VerifyOnly, which never creates a schema");
            }

            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await LockAsync(transaction, cancellationToken).ConfigureAwait(false);
            state = await ReadStateAsync(transaction, cancellationToken).ConfigureAwait(false);
            if (!state.HasAnyMlmdTable)
            {
                if (!state.SchemaExists)
                {
                    await ExecuteAsync(PostgreSqlSchema.CreateSchema(schema), transaction, "create the schema", cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(PostgreSqlSchema.Create(schema, connection.PostgreSqlVersion.Major), transaction, "create the tables", cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Log.SchemaCreated(logger, PostgreSqlSchema.Version, description);
                return;
            }

            // Another connection created it meanwhile: verify what it wrote.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var missingTables = PostgreSqlSchema.Tables.Where(t => !state.Relations.Contains(t)).ToArray();
        if (missingTables.Length > 0)
        {
            throw Refuse($"schema '{schema}' holds a partial or foreign schema: MLMD's tables {string.Join(", ", missingTables)} are missing");
        }

        var version = await ReadVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version != PostgreSqlSchema.Version)
        {
            throw Refuse(version is null
                ? $"schema '{schema}' has no MLMD schema version row"
                : $"schema '{schema}' holds MLMD schema version {version}, and this library reads and writes version {PostgreSqlSchema.Version} only; upgrade it with MLMD 1.11 or later first");
        }

        var missing = MissingExtras(state);
        var systemTypes = state.SystemTypeCount;
        if (missing.Count == 0 && systemTypes >= PostgreSqlSchema.SystemTypes.Length)
        {
            Log.SchemaVerified(logger, PostgreSqlSchema.Version, description);
            return;
        }

        var required = missing.Where(RequiredExtras.Contains).ToArray();
        if (mode == SchemaMode.VerifyOnly)
        {
            if (required.Length > 0)
            {
                throw Refuse($"schema '{schema}' lacks this library's {string.Join(", ", required)}, and the schema mode is VerifyOnly; open it once with CreateOrVerify as the schema's owner");
            }

            return;
        }

        await CompleteAsync(missing, required, cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteAsync(IReadOnlyCollection<string> missing, string[] required, CancellationToken cancellationToken)
    {
        var newStatistics = PostgreSqlSchema.ExtraStatistics.Where(s => missing.Contains(s.Name)).ToArray();
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LockAsync(transaction, cancellationToken).ConfigureAwait(false);
            var sql = new System.Text.StringBuilder();
            if (missing.Contains(PostgreSqlSchema.EventPathOrderTable))
            {
                sql.Append(PostgreSqlSchema.CreateEventPathOrderTable(schema)).Append('\n');
            }

            foreach (var index in PostgreSqlSchema.MlmdIndexes.Concat(PostgreSqlSchema.ExtraIndexes).Where(i => missing.Contains(i.Name)))
            {
                sql.Append(PostgreSqlSchema.CreateIndex(schema, index)).Append('\n');
            }

            foreach (var statistics in newStatistics)
            {
                sql.Append(PostgreSqlSchema.CreateStatistics(schema, statistics)).Append('\n');
            }

            sql.Append(PostgreSqlSchema.UpsertSystemTypes(schema)).Append('\n');
            using (var command = new NpgsqlCommand(sql.ToString(), connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (missing.Contains(PostgreSqlSchema.TypeUniqueIndex))
            {
                // A schema MLMD wrote may hold duplicate types, which it prevents in code only: keep it openable.
                using var savepoint = new NpgsqlCommand("SAVEPOINT mds_type_index", connection, transaction);
                await savepoint.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using var create = new NpgsqlCommand(PostgreSqlSchema.CreateTypeUniqueIndex(schema), connection, transaction);
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT mds_type_index", connection, transaction);
                    await rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    PostgreSqlLog.SchemaIncomplete(logger, description, "it holds duplicate types, so concurrent first registrations of one type are not prevented");
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.SchemaVerified(logger, PostgreSqlSchema.Version, description);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            transaction.Rollback();
            if (required.Length > 0)
            {
                throw Refuse($"schema '{schema}' lacks this library's {string.Join(", ", required)} and this role may not create it ({ex.MessageText}); open the store once as the schema's owner", ex);
            }

            // Without our extra indexes and statistics reads still work, only slower.
            PostgreSqlLog.SchemaIncomplete(logger, description, "it lacks some of this library's indexes or statistics and this role may not create them; open the store once as the schema's owner");
            return;
        }

        // New statistics stay empty until the table is analyzed, which autovacuum does only after a tenth of its rows
        // change; analyze now, outside the write lock (sampling a large table takes a while, and blocks no one).
        foreach (var table in newStatistics.Select(s => s.Table).Distinct(StringComparer.Ordinal))
        {
            using var analyze = new NpgsqlCommand($"ANALYZE {PostgreSqlSchema.Quote(schema)}.{PostgreSqlSchema.Quote(table)}", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private List<string> MissingExtras(SchemaState state)
    {
        var missing = new List<string>();
        missing.AddRange(RequiredExtras.Where(t => !state.Relations.Contains(t)));
        missing.AddRange(PostgreSqlSchema.MlmdIndexes.Concat(PostgreSqlSchema.ExtraIndexes).Select(i => i.Name).Where(n => !state.Relations.Contains(n)));
        missing.AddRange(PostgreSqlSchema.ExtraStatistics
            .Where(s => PostgreSqlSchema.Supports(s, connection.PostgreSqlVersion.Major) && !state.Statistics.Contains(s.Name))
            .Select(s => s.Name));
        if (!state.Relations.Contains(PostgreSqlSchema.TypeUniqueIndex))
        {
            missing.Add(PostgreSqlSchema.TypeUniqueIndex);
        }

        return missing;
    }

    private async Task<SchemaState> ReadStateAsync(NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
                   ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'i', 'I')),
                   ARRAY(SELECT s.stxname::text FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
                         WHERE n.nspname = $1)
            """;
        using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        bool exists;
        string[] relations;
        string[] statistics;
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            exists = reader.GetBoolean(0);
            relations = reader.GetFieldValue<string[]>(1);
            statistics = reader.GetFieldValue<string[]>(2);
        }

        var set = new HashSet<string>(relations, StringComparer.Ordinal);
        var systemTypes = 0;
        if (set.Contains("type"))
        {
            var names = string.Join(", ", PostgreSqlSchema.SystemTypes.Select(t => $"('{t.Name}', {t.Kind})"));
            using var count = new NpgsqlCommand(
                $"""SELECT count(*) FROM {PostgreSqlSchema.Quote(schema)}."type" WHERE "version" IS NULL AND ("name", "type_kind") IN ({names})""",
                connection,
                transaction);
            systemTypes = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        return new SchemaState(exists, set, new HashSet<string>(statistics, StringComparer.Ordinal), systemTypes);
    }

    private async Task<long?> ReadVersionAsync(CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand($"""SELECT max("schema_version") FROM {PostgreSqlSchema.Quote(schema)}."mlmdenv" """, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull or null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private async Task LockAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = lockKey });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string sql, NpgsqlTransaction transaction, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw Refuse($"this role may not {what} in schema '{schema}' ({ex.MessageText}); open the store once as the schema's owner, or have an administrator create the schema for it (see the README's PostgreSQL roles)", ex);
        }
    }

    private MetadataStoreException Refuse(string reason, Exception? inner = null) =>
        new(MetadataErrorCode.FailedPrecondition, $"Cannot open {description}: {reason}.", inner);

    private sealed record SchemaState(bool SchemaExists, HashSet<string> Relations, HashSet<string> Statistics, int SystemTypeCount)
    {
        public bool HasAnyMlmdTable => PostgreSqlSchema.Tables.Any(Relations.Contains);
    }
}
