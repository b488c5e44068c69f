using System.Data.Common;
using System.Globalization;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// What one SQL database does differently from the others, for the relational engine that stores MLMD's tables:
/// identifier quoting, parameter markers and binding, <c>IN</c>-list limits, insert-returning-id and
/// insert-or-ignore, value encodings, the planner hints and text differences of filters and lineage traversals,
/// transactions, error classification and retry rules. The engine writes all SQL once in terms of a dialect; a
/// dialect never decides semantics.
/// </summary>
/// <remarks>
/// <para>The defaults follow standard SQL as PostgreSQL speaks it: double-quoted identifiers, <c>$1</c> parameter
/// markers, <c>INSERT .. RETURNING "id"</c>, <c>ON CONFLICT (..) DO NOTHING</c>, booleans stored as integers unless
/// overridden. Connections and the schema belong to the backend (see <see cref="RelationalBackend"/>).</para>
/// <para>A dialect must be immutable once the engine has used it: the engine builds its SQL catalogue from it once
/// and keeps the statements for the dialect's life.</para>
/// </remarks>
public abstract class SqlDialect
{
    private static readonly object BoxedZero = 0L;
    private static readonly object BoxedOne = 1L;
    private SqlCatalog? _catalog;

    /// <summary>The database's name in messages and logs, such as <c>SQLite</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The largest number of values one <c>IN</c> list binds; longer lists are read in chunks. The default is 256.</summary>
    public virtual int MaxInListSize => 256;

    /// <summary>
    /// Whether a list of ids or texts is bound as one array parameter, compared with <c>= ANY($n)</c>, instead of in
    /// chunks of <see cref="MaxInListSize"/> <c>IN</c>-list parameters. The default is false; a provider that maps
    /// <c>long[]</c> and <c>string[]</c> to SQL arrays (Npgsql) reads any list in one statement.
    /// </summary>
    public virtual bool BindsListsAsArrays => false;

    /// <summary>
    /// The join keyword that keeps the tables in the order written, so that a plan starts from the small side
    /// (a context's members, a property index, the lineage frontier). The default is <c>JOIN</c>, leaving the order to
    /// the planner; SQLite uses <c>CROSS JOIN</c>, which it never reorders.
    /// </summary>
    public virtual string OrderedJoin => "JOIN";

    /// <summary>
    /// Whether a keyset page by time starts after its cursor by the row comparison <c>(time, id) &gt; (v, i)</c>, which
    /// a database that matches it to a (time, id) index (PostgreSQL) uses whole as the index range, so the page needs
    /// no sort of the rows that share a time. The default is false: <c>time &gt;= v AND (time &gt; v OR id &gt; i)</c>,
    /// whose first conjunct starts the range of any index that leads with the time (SQLite).
    /// </summary>
    public virtual bool RowValueKeyset => false;

    /// <summary>
    /// Text appended to the subquery of a per-row property probe (<c>EXISTS (SELECT 1 FROM property WHERE owner =
    /// n.id AND ...)</c>, used when another index drives a listing) so that the database runs it once per listed row,
    /// in the driving index's order, instead of joining every match of the property first and sorting the result. The
    /// default is empty (SQLite runs a correlated EXISTS per row); PostgreSQL uses <c>OFFSET 0</c>, which keeps the
    /// EXISTS a subplan rather than a semi-join. When set, a listing driven by a membership or property index also
    /// reads its node rows by such a probe: <c>JOIN LATERAL (SELECT * FROM node AS n WHERE n.id = owner AND ...
    /// suffix) AS n ON TRUE</c>.
    /// </summary>
    public virtual string RowProbeSuffix => string.Empty;

    /// <summary>How many times a unit of work is tried against transient conflicts before it fails as Aborted. The default is 10.</summary>
    public virtual int MaxAttempts => 10;

    /// <summary>The SQL catalogue of this dialect, built on first use and kept.</summary>
    /// <remarks>One instance is published even when threads race, since sessions cache statements by the strings' identity.</remarks>
    internal SqlCatalog Catalog => Volatile.Read(ref _catalog) ?? Interlocked.CompareExchange(ref _catalog, new SqlCatalog(this), null) ?? _catalog!;

    /// <summary>Quotes an identifier (a column or an alias-free name). The default doubles embedded quotes and wraps in double quotes.</summary>
    /// <param name="identifier">The identifier.</param>
    /// <returns>The quoted identifier.</returns>
    public virtual string Quote(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Names one of MLMD's tables in SQL text; a dialect may qualify it with a schema. The default is <see cref="Quote"/>.</summary>
    /// <param name="table">The table's MLMD name, such as <c>Artifact</c>.</param>
    /// <returns>The table reference.</returns>
    public virtual string Table(string table) => Quote(table);

    /// <summary>The marker of the parameter at <paramref name="ordinal"/> (1-based) in SQL text. The default is <c>$1</c>, <c>$2</c>, ...</summary>
    /// <param name="ordinal">The parameter's position, from 1.</param>
    /// <returns>The marker.</returns>
    public virtual string Parameter(int ordinal) => "$" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The <see cref="DbParameter.ParameterName"/> of the parameter at <paramref name="ordinal"/> (1-based). The default
    /// is <see cref="Parameter"/>; a provider that binds <c>$n</c> by position (Npgsql) returns the empty string.
    /// </summary>
    /// <param name="ordinal">The parameter's position, from 1.</param>
    /// <returns>The name.</returns>
    public virtual string ParameterName(int ordinal) => Parameter(ordinal);

    /// <summary>Adds the statement's text for inserting one row and reading its generated <c>id</c> back (see <see cref="ExecuteInsert"/>).</summary>
    /// <param name="insert">An <c>INSERT INTO .. VALUES (..)</c> statement without a terminating semicolon.</param>
    /// <returns>The default appends <c>RETURNING "id"</c>.</returns>
    public virtual string InsertReturningId(string insert) => insert + " RETURNING " + Quote("id");

    /// <summary>Runs a statement made by <see cref="InsertReturningId"/> and returns the new row's id. The default reads the scalar result.</summary>
    /// <param name="command">The prepared, bound command.</param>
    /// <returns>The new id.</returns>
    public virtual long ExecuteInsert(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The most rows one multi-row <c>INSERT</c> of nodes or properties writes. The default, 1, writes row by row with
    /// prepared single-row statements, which is fastest for an in-process database; a database a network round trip
    /// away writes a batch in a few statements (node rows need <see cref="ReserveIds"/> too).
    /// </summary>
    public virtual int MaxRowsPerInsert => 1;

    /// <summary>
    /// A statement that hands out <c>$1</c> new values of the <c>id</c> column of <paramref name="table"/>, one per row,
    /// for a multi-row insert that must know each row's id; null (the default) when the database cannot.
    /// </summary>
    /// <param name="table">The table's MLMD name, such as <c>Artifact</c>.</param>
    /// <returns>The statement, or null.</returns>
    public virtual string? ReserveIds(string table) => null;

    /// <summary>
    /// Whether text columns and text parameters may hold U+0000. The default is true; a database that cannot
    /// (PostgreSQL) has the engine refuse such text with InvalidArgument before it is sent.
    /// </summary>
    public virtual bool TextHoldsNul => true;

    /// <summary>Makes an insert that does nothing when a row with the same key exists.</summary>
    /// <param name="insert">An <c>INSERT</c> statement (<c>VALUES</c> or <c>SELECT</c>) without a terminating semicolon.</param>
    /// <param name="conflictColumns">The quoted key columns, comma separated; empty for any unique key.</param>
    /// <returns>The default appends <c>ON CONFLICT (..) DO NOTHING</c>.</returns>
    public virtual string InsertOrIgnore(string insert, string conflictColumns) =>
        conflictColumns.Length == 0 ? insert + " ON CONFLICT DO NOTHING" : insert + " ON CONFLICT (" + conflictColumns + ") DO NOTHING";

    /// <summary>
    /// Whether many node or property rows are inserted by binding one array per column and unnesting them
    /// (<see cref="UnnestRows"/>) instead of one parameter per value: far fewer parameters to bind, and one statement
    /// text whatever the row count. The arrays are CLR arrays of <see cref="long"/>, <see cref="int"/>,
    /// <see cref="string"/>, <see cref="double"/>, <see cref="bool"/> and <see cref="byte"/>[] (nullable where the
    /// column is). The default is false.
    /// </summary>
    public virtual bool InsertsFromArrays => false;

    /// <summary>A FROM-clause source yielding one row per array index from array parameters 1..n, with <see cref="InsertsFromArrays"/>.</summary>
    /// <param name="elementTypes">The CLR element type of each array, in parameter order.</param>
    /// <returns>The SQL text, such as <c>unnest($1::bigint[], $2::text[])</c>.</returns>
    public virtual string UnnestRows(IReadOnlyList<Type> elementTypes) =>
        throw new NotSupportedException($"{Name} binds rows, not arrays.");

    /// <summary>The value bound for a boolean column (<c>is_custom_property</c>, <c>bool_value</c>, <c>is_index_step</c>). The default is 1 or 0.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value to bind.</returns>
    public virtual object BoolValue(bool value) => value ? BoxedOne : BoxedZero;

    /// <summary>A boolean constant in SQL text, compared with a boolean column. The default is <c>1</c> or <c>0</c>.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The literal.</returns>
    public virtual string BoolLiteral(bool value) => value ? "1" : "0";

    /// <summary>Reads a boolean column. The default reads an integer and compares it with zero.</summary>
    /// <param name="reader">The reader on a row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The boolean.</returns>
    public virtual bool ReadBool(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetInt64(ordinal) != 0;
    }

    /// <summary>The value bound for <c>proto_value</c>, from a serialized <c>google.protobuf.Any</c>. The default binds the bytes.</summary>
    /// <param name="any">The serialized message.</param>
    /// <returns>The value to bind.</returns>
    public virtual object EncodeProto(byte[] any) => any;

    /// <summary>Reads <c>proto_value</c> back as the serialized <c>google.protobuf.Any</c>. The default reads bytes.</summary>
    /// <param name="reader">The reader on a row.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The serialized message.</returns>
    /// <exception cref="MetadataStoreException">DataLoss when the stored value cannot be decoded.</exception>
    public virtual byte[] ReadProto(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return (byte[])reader.GetValue(ordinal);
    }

    /// <summary>
    /// Renders <paramref name="operand"/> [NOT] LIKE <paramref name="pattern"/> with the filter language's meaning:
    /// case-sensitive, <c>%</c> and <c>_</c> wildcards, no escape character. The default is plain <c>LIKE</c>, which is
    /// case-sensitive in PostgreSQL (with the escape character switched off).
    /// </summary>
    /// <param name="operand">The operand's SQL.</param>
    /// <param name="pattern">The marker of the bound pattern (see <see cref="LikePattern"/>).</param>
    /// <param name="negated">Whether the operator is NOT LIKE.</param>
    /// <returns>The condition.</returns>
    public virtual string Like(string operand, string pattern, bool negated) =>
        $"{operand} {(negated ? "NOT LIKE" : "LIKE")} {pattern} ESCAPE ''";

    /// <summary>
    /// Renders a filter's equality of an indexed text column (<c>uri</c>, a string property value) with a bound text,
    /// in the form the column's index serves. The default is <c>column = marker</c>; a database that indexes long text
    /// by a prefix compares the prefix, so that the index is used and the planner estimates one condition.
    /// </summary>
    /// <param name="column">The column's SQL.</param>
    /// <param name="marker">The marker of the bound text; it may appear more than once.</param>
    /// <param name="value">The bound text, whose length may decide the form; never written into the SQL.</param>
    /// <returns>The condition, parenthesized when it is more than one comparison.</returns>
    public virtual string TextEquals(string column, string marker, string value) => $"{column} = {marker}";

    /// <summary>The value bound for a LIKE pattern; a dialect may translate it. The default binds it as written.</summary>
    /// <param name="pattern">The pattern of the filter.</param>
    /// <returns>The value to bind.</returns>
    public virtual object LikePattern(string pattern) => pattern;

    /// <summary>Renders a floating-point division that yields NULL on division by zero.</summary>
    /// <param name="left">The dividend's SQL.</param>
    /// <param name="right">The divisor's SQL.</param>
    /// <returns>The default casts to DOUBLE PRECISION and divides by <c>NULLIF(right, 0)</c>.</returns>
    public virtual string Divide(string left, string right) => $"(CAST({left} AS DOUBLE PRECISION) / NULLIF({right}, 0))";

    /// <summary>
    /// Renders <c>+</c>, <c>-</c> or <c>*</c> of a filter. The default is plain SQL arithmetic; a database whose
    /// integer arithmetic fails on overflow where another's widens computes integers in a wider type.
    /// </summary>
    /// <param name="left">The left operand's SQL.</param>
    /// <param name="op">The operator: <c>+</c>, <c>-</c> or <c>*</c>.</param>
    /// <param name="right">The right operand's SQL.</param>
    /// <param name="integers">Whether both operands are integers.</param>
    /// <returns>The expression.</returns>
    public virtual string Arithmetic(string left, string op, string right, bool integers) => $"({left} {op} {right})";

    /// <summary>Renders a filter's unary minus; see <see cref="Arithmetic"/>. The default is plain SQL.</summary>
    /// <param name="operand">The operand's SQL.</param>
    /// <param name="integer">Whether the operand is an integer.</param>
    /// <returns>The expression.</returns>
    public virtual string Negate(string operand, bool integer) => "(-" + operand + ")";

    /// <summary>
    /// The expression that orders the <c>EventPath</c> rows of one event in the order they were written, over the table
    /// alias <paramref name="alias"/>; MLMD's table has no column for it.
    /// </summary>
    /// <param name="alias">The alias of <c>EventPath</c>.</param>
    /// <returns>An ORDER BY expression.</returns>
    public abstract string EventPathOrder(string alias);

    /// <summary>
    /// What event paths are read from, as SQL text for a FROM clause (a table, or a query in parentheses) with the
    /// columns <c>event_id</c>, <c>is_index_step</c>, <c>step_index</c>, <c>step_key</c> and those
    /// <see cref="EventPathOrder"/> names. The default is MLMD's <c>EventPath</c> table.
    /// </summary>
    public virtual string EventPathSource => Table("EventPath");

    /// <summary>
    /// The statement that writes one step of an event's path. The event is named by its unique key, so the step can be
    /// sent with the event's insert without reading the event's id back: parameters 1 <c>artifact_id</c>, 2
    /// <c>execution_id</c>, 3 <c>type</c>, then 4 <c>is_index_step</c>, 5 <c>step_index</c>, 6 <c>step_key</c>, 7 the
    /// step's position in the path (from 0) and 8 the path's length. The default inserts the <c>EventPath</c> row and
    /// leaves 7 and 8 unused: for a database whose row order (<see cref="EventPathOrder"/>) keeps the order of the steps.
    /// </summary>
    public virtual string InsertEventPathStep =>
        $"INSERT INTO {Table("EventPath")} ({Quote("event_id")}, {Quote("is_index_step")}, {Quote("step_index")}, {Quote("step_key")}) " +
        $"SELECT {Quote("id")}, {Parameter(4)}, {Parameter(5)}, {Parameter(6)} FROM {Table("Event")} " +
        $"WHERE {Quote("artifact_id")} = {Parameter(1)} AND {Quote("execution_id")} = {Parameter(2)} AND {Quote("type")} = {Parameter(3)}";

    /// <summary>
    /// Whether the engine holds back statements whose result it does not need (property rows, events and their paths,
    /// context links, <see cref="WriteLockStatement"/>) and sends them in one <see cref="DbBatch"/> with the
    /// transaction's next statement, saving a round trip per statement to a database server. The provider must support
    /// <see cref="DbConnection.CanCreateBatch"/>, and its batch reader must report result sets only for statements that
    /// return rows. The default is false: each statement runs when it is made.
    /// </summary>
    public virtual bool BatchesStatements => false;

    /// <summary>
    /// Whether, with <see cref="BatchesStatements"/>, the engine sends <c>COMMIT</c> as the last statement of the
    /// transaction's last batch instead of committing through <see cref="DbTransaction.Commit"/> (one round trip less
    /// per write). The provider must then treat its transaction object as completed. The default is false.
    /// </summary>
    public virtual bool CommitsInBatch => false;

    /// <summary>
    /// A statement a writing transaction runs first, before anything it reads or writes, such as taking a lock that
    /// serialises writers; it may return one result set, which is ignored. With <see cref="BatchesStatements"/> it
    /// goes with the transaction's first statement. The default is null: none.
    /// </summary>
    public virtual string? WriteLockStatement => null;

    /// <summary>
    /// The name of the per-connection temporary table of a lineage traversal, as SQL text. Its columns are
    /// <c>kind</c>, <c>id</c>, <c>hop</c>, <c>is_end</c> (all integers), keyed by (kind, id).
    /// </summary>
    public virtual string LineageTable => Quote("mds_lineage");

    /// <summary>Statements that create <see cref="LineageTable"/> and an index on (hop, kind) when missing; each runs alone, inside the unit of work.</summary>
    public abstract IReadOnlyList<string> CreateLineageTable { get; }

    /// <summary>Starts a transaction on an open connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="write">
    /// Whether the unit of work writes. A writing unit of work must be isolated from concurrent writers so that what
    /// it reads stays true until it commits (see docs/backends.md): by taking the write lock at once, or by
    /// serializable isolation whose conflicts <see cref="Classify"/> reports as retryable.
    /// </param>
    /// <returns>The transaction.</returns>
    public abstract DbTransaction BeginTransaction(DbConnection connection, bool write);

    /// <summary>Classifies a provider error by the provider's codes, never by message text.</summary>
    /// <param name="exception">The provider's exception.</param>
    /// <returns>The structured fact; <see cref="StorageErrorKind.Internal"/> when nothing better is known.</returns>
    public abstract StorageError Classify(DbException exception);

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1 after a retryable conflict. The default doubles from 10 ms to 1 s, with up to 50 % jitter.</summary>
    /// <param name="attempt">The attempt that failed, from 1.</param>
    /// <returns>The delay.</returns>
    public virtual TimeSpan RetryDelay(int attempt)
    {
        var baseDelay = Math.Min(1000, 10 << Math.Min(Math.Max(attempt, 1) - 1, 10));
        return TimeSpan.FromMilliseconds(baseDelay + Random.Shared.Next(baseDelay / 2 + 1));
    }

}
