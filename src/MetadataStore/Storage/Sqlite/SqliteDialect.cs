using System.Data.Common;
using System.Text;
using MetadataStore.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// SQLite's dialect (Microsoft.Data.Sqlite): booleans as 0/1, <c>proto_value</c> as base64 text as MLMD writes it,
/// ids from the connection's last rowid, <c>CROSS JOIN</c> to fix join order, LIKE as GLOB, <c>BEGIN IMMEDIATE</c>
/// for writers, and errors keyed on SQLite's result codes.
/// </summary>
internal sealed class SqliteDialect(string? dataSource) : SqlDialect
{
    public override string Name => "SQLite";

    // SQLite never reorders the tables of a CROSS JOIN.
    public override string OrderedJoin => "CROSS JOIN";

    // SQLite keeps the steps of one event in rowid order, which is insertion (path) order.
    public override string EventPathOrder(string alias) => alias + ".\"rowid\"";

    public override string LineageTable => "temp.\"mds_lineage\"";

    public override IReadOnlyList<string> CreateLineageTable { get; } =
    [
        """
        CREATE TEMP TABLE IF NOT EXISTS "mds_lineage" (
          "kind" INTEGER NOT NULL, "id" INTEGER NOT NULL, "hop" INTEGER NOT NULL, "is_end" INTEGER NOT NULL,
          PRIMARY KEY ("kind", "id")
        ) WITHOUT ROWID;
        """,
        """CREATE INDEX IF NOT EXISTS temp."mds_lineage_hop" ON "mds_lineage" ("hop", "kind");""",
    ];

    // The connection's last rowid, not a RETURNING clause: RETURNING buffers each row through a temporary table
    // and a data reader, which cost more than the insert itself on a hot path.
    public override string InsertReturningId(string insert) => insert;

    public override long ExecuteInsert(DbCommand command)
    {
        command.ExecuteNonQuery();
        return SQLitePCL.raw.sqlite3_last_insert_rowid(((SqliteConnection)command.Connection!).Handle);
    }

    // MLMD writes base64 text into SQLite's proto_value.
    public override object EncodeProto(byte[] any) => Convert.ToBase64String(any);

    public override byte[] ReadProto(DbDataReader reader, int ordinal)
    {
        // A client may have stored the same base64 text as a BLOB.
        var text = reader.GetValue(ordinal) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reader.GetString(ordinal);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.DataLoss, $"A stored proto value is not valid base64: {ex.Message}", ex);
        }
    }

    // SQLite's LIKE is ASCII case-insensitive unless a connection-wide pragma is set, while GLOB is always
    // case-sensitive and, for a pattern with a fixed prefix, can use an ordinary (BINARY) index such as idx_artifact_uri.
    public override string Like(string operand, string pattern, bool negated) =>
        negated ? $"{operand} NOT GLOB {pattern}" : $"{operand} GLOB {pattern}";

    /// <summary>Translates a LIKE pattern to GLOB: % to *, _ to ?, and GLOB's own wildcards *, ? and [ to one-character classes.</summary>
    public override object LikePattern(string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 8);
        foreach (char c in pattern)
        {
            glob.Append(c switch
            {
                '%' => "*",
                '_' => "?",
                '*' => "[*]",
                '?' => "[?]",
                '[' => "[[]",
                _ => c.ToString(),
            });
        }

        return glob.ToString();
    }

    // SQLite yields NULL on division by zero.
    public override string Divide(string left, string right) => $"(CAST({left} AS REAL) / {right})";

    // A writer takes the write lock at once (BEGIN IMMEDIATE), so what it reads stays true until it commits; a reader
    // takes a snapshot at its first read.
    public override DbTransaction BeginTransaction(DbConnection connection, bool write) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: !write);

    public override StorageError Classify(DbException exception)
    {
        if (exception is not SqliteException sqlite)
        {
            return new StorageError(StorageErrorKind.Internal, exception.Message);
        }

        var translated = SqliteErrors.Translate(sqlite, dataSource);
        var kind = sqlite.SqliteExtendedErrorCode is SqliteErrors.ConstraintPrimaryKey or SqliteErrors.ConstraintUnique ? StorageErrorKind.UniqueViolation
            : SqliteErrors.IsBusy(sqlite) ? StorageErrorKind.Conflict
            : translated.ErrorCode switch
            {
                MetadataErrorCode.Aborted => StorageErrorKind.Aborted,
                MetadataErrorCode.Unavailable => StorageErrorKind.Unavailable,
                MetadataErrorCode.FailedPrecondition => StorageErrorKind.PermissionDenied,
                MetadataErrorCode.DataLoss => StorageErrorKind.DataLoss,
                MetadataErrorCode.InvalidArgument => StorageErrorKind.TooLarge,
                _ => StorageErrorKind.Internal,
            };
        return new StorageError(kind, translated.Message) { IsTransient = translated.IsTransient };
    }
}
