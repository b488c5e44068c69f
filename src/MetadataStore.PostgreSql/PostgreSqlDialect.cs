using System.Data;
using System.Data.Common;
using System.Globalization;
using MetadataStore.Storage.Relational;
using Npgsql;

namespace MetadataStore.PostgreSql;

/// <summary>
/// PostgreSQL's dialect (Npgsql): MLMD's lower-case table names in the configured schema, positional <c>$n</c>
/// parameters, real booleans, <c>bytea</c> proto values, writers serialized per schema by a transaction-level
/// advisory lock, readers on a repeatable-read snapshot, and errors keyed on SQLSTATE codes.
/// </summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private readonly string _schema;
    private readonly string _quotedSchema;

    public PostgreSqlDialect(string schema)
    {
        _schema = schema;
        _quotedSchema = PostgreSqlSchema.Quote(schema);
        WriteLockKey = PostgreSqlSchema.WriteLockKey(schema);
        var path = Table("EventPath");
        var order = _quotedSchema + "." + Quote(PostgreSqlSchema.EventPathOrderTable);
        EventPathSource = $"""
            (SELECT p."event_id", p."is_index_step", p."step_index", p."step_key", 0 AS "position" FROM {path} AS p
             WHERE NOT EXISTS (SELECT 1 FROM {order} AS o WHERE o."event_id" = p."event_id")
             UNION ALL
             SELECT o."event_id", o."is_index_step", o."step_index", o."step_key", o."position" FROM {order} AS o)
            """;
        InsertEventPathStep = $"""
            WITH e AS (SELECT "id" FROM {Table("Event")} WHERE "artifact_id" = $1 AND "execution_id" = $2 AND "type" = $3),
            s AS (INSERT INTO {path} ("event_id", "is_index_step", "step_index", "step_key") SELECT "id", $4, $5, $6 FROM e)
            INSERT INTO {order} ("event_id", "position", "is_index_step", "step_index", "step_key")
            SELECT "id", $7, $4, $5, $6 FROM e WHERE $8 > 1
            """;
        WriteLockStatement = "SELECT pg_advisory_xact_lock((" + WriteLockKey.ToString(CultureInfo.InvariantCulture) + ")::bigint)";
    }

    public override string Name => "PostgreSQL";

    /// <summary>The key of the advisory lock every writing unit of work on this schema takes first.</summary>
    public long WriteLockKey { get; }

    // Npgsql binds long[] and string[] as arrays: any list is one parameter of one statement, planned once.
    public override bool BindsListsAsArrays => true;

    // PostgreSQL text cannot hold U+0000; the engine refuses it before sending, because a parameter the server
    // refuses at bind time leaves Npgsql 10 reading a later command's rows out of order on that connection
    // (with an auto-prepared statement).
    public override bool TextHoldsNul => false;

    // Every statement is a network round trip: writes whose result is not needed go with the next statement, and the
    // commit with the last ones; Npgsql reports result sets only for statements that return rows.
    public override bool BatchesStatements => true;

    public override bool CommitsInBatch => true;

    public override string? WriteLockStatement { get; }

    // Every statement is a network round trip: a batch of nodes or properties goes in a few multi-row statements.
    public override int MaxRowsPerInsert => 1_000;

    // Ids from the table's identity sequence (the writer role is granted USAGE on it), one per row, in order.
    public override string? ReserveIds(string table) =>
        $"SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence('{Table(table).Replace("'", "''", StringComparison.Ordinal)}', 'id')::regclass AS s) AS q, generate_series(1, $1)";

    // A bulk write binds one array per column: a handful of parameters and one statement text for any row count.
    public override bool InsertsFromArrays => true;

    public override string UnnestRows(IReadOnlyList<Type> elementTypes)
    {
        ArgumentNullException.ThrowIfNull(elementTypes);
        return "unnest(" + string.Join(", ", elementTypes.Select((type, i) => $"${i + 1}::{SqlType(type)}[]")) + ")";
    }

    private static string SqlType(Type type) =>
        type == typeof(long) ? "bigint"
        : type == typeof(int) ? "integer"
        : type == typeof(string) ? "text"
        : type == typeof(double) ? "double precision"
        : type == typeof(bool) ? "boolean"
        : type == typeof(byte[]) ? "bytea"
        : throw new ArgumentException($"No PostgreSQL array type for {type}.", nameof(type));

    public override string Table(string table) => _quotedSchema + "." + Quote(table.ToLowerInvariant());

    // Npgsql binds $1, $2, ... by position and wants unnamed parameters.
    public override string ParameterName(int ordinal) => string.Empty;

    // SQLite widens an overflowing integer to a double; PostgreSQL's bigint arithmetic fails (22003). NUMERIC never
    // overflows here, and compares with integers and doubles alike.
    public override string Arithmetic(string left, string op, string right, bool integers) =>
        integers ? $"(CAST({left} AS NUMERIC) {op} {right})" : base.Arithmetic(left, op, right, integers);

    public override string Negate(string operand, bool integer) =>
        integer ? $"(-CAST({operand} AS NUMERIC))" : base.Negate(operand, integer);

    // The (time, id) indexes take a row comparison whole as their range; MLMD's time-only ones cannot, so the planner
    // does not trade them in for an incremental sort of the rows that share a time.
    public override bool RowValueKeyset => true;

    // The planner turns a correlated EXISTS into a semi-join, and when it expects few matches (it cannot know how many
    // of a context's members hold a property value) it joins them all and sorts; OFFSET 0 keeps the EXISTS a per-row
    // probe, so a page reads the driving index in order and stops at its limit.
    public override string RowProbeSuffix => " OFFSET 0";

    // Text columns are indexed by their first TextKeyLength characters (PostgreSqlSchema.Prefix). A shorter text
    // (fewer UTF-16 units, so fewer characters) equals the column exactly when it equals the prefix; comparing the
    // prefix alone also keeps the planner from multiplying two estimates of one condition.
    public override string TextEquals(string column, string marker, string value) =>
        value.Length < PostgreSqlSchema.TextKeyLength
            ? $"left({column}, {PostgreSqlSchema.TextKeyLength}) = {marker}"
            : $"(left({column}, {PostgreSqlSchema.TextKeyLength}) = left({marker}, {PostgreSqlSchema.TextKeyLength}) AND {column} = {marker})";

    public override object BoolValue(bool value) => value ? BoxedTrue : BoxedFalse;

    public override string BoolLiteral(bool value) => value ? "TRUE" : "FALSE";

    public override bool ReadBool(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetBoolean(ordinal);
    }

    // PostgreSQL keeps no row order, so a path of two or more steps is also written, with each step's position, to
    // mds_event_path (see PostgreSqlSchema); an event's steps come from there when it has rows there.
    public override string EventPathOrder(string alias) => $"{alias}.{Quote("event_id")}, {alias}.{Quote("position")}";

    public override string EventPathSource { get; }

    public override string InsertEventPathStep { get; }

    public override string LineageTable => "pg_temp." + Quote("mds_lineage");

    public override IReadOnlyList<string> CreateLineageTable { get; } =
    [
        """
        CREATE TEMP TABLE IF NOT EXISTS "mds_lineage" (
          "kind" INTEGER NOT NULL, "id" BIGINT NOT NULL, "hop" INTEGER NOT NULL, "is_end" INTEGER NOT NULL,
          PRIMARY KEY ("kind", "id")
        )
        """,
        """CREATE INDEX IF NOT EXISTS "mds_lineage_hop" ON pg_temp."mds_lineage" ("hop", "kind")""",
    ];

    /// <summary>
    /// A writer first takes this schema's advisory write lock (<see cref="WriteLockStatement"/>, sent with its first
    /// statement), held until commit or rollback, so writers run one at a time and what a writer reads stays true
    /// until it commits (as SQLite's <c>BEGIN IMMEDIATE</c>), without the serialization failures a hot shared context
    /// would cause under SERIALIZABLE. A reader reads one snapshot. Npgsql sends <c>BEGIN</c> with the first statement.
    /// </summary>
    public override DbTransaction BeginTransaction(DbConnection connection, bool write) =>
        ((NpgsqlConnection)connection).BeginTransaction(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead);

    public override StorageError Classify(DbException exception) => PostgreSqlErrors.Classify(exception, _schema);
}
