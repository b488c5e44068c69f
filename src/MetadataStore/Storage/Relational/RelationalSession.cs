using System.Data.Common;
using System.Runtime.CompilerServices;

namespace MetadataStore.Storage.Relational;

/// <summary>
/// One open connection with its own prepared-statement caches. A session is used by one unit of work at a time; a
/// backend keeps sessions as long as it likes (SQLite keeps its writer's for the store's life), so statements are
/// prepared once per connection.
/// </summary>
public sealed class RelationalSession : IDisposable
{
    // Prepared statements: catalogue statements keyed by reference (built once per dialect), IN-list variants by
    // (template, size), built SQL by text. A bounded number of built statements is kept.
    private const int MaxBuiltCommands = 256;

    private readonly Dictionary<string, DbCommand> _commands = new(ReferenceEqualityComparer.Instance as IEqualityComparer<string>);
    private readonly Dictionary<(string Template, int Size), DbCommand> _inCommands = new(new TemplateSizeComparer());
    private readonly Dictionary<string, DbCommand> _builtCommands = new(StringComparer.Ordinal);

    // Batch statements by text, kept for the later batches of this connection: a use binds values into parameters
    // created once (and keeps the statement's server-side preparation) instead of creating new ones. A statement may
    // appear several times in one batch, so each text keeps a few; the in-use counts restart with each batch.
    private const int MaxBatchTexts = 256;
    private const int MaxBatchCommandsPerText = 16;
    private readonly Dictionary<string, List<DbBatchCommand>> _batchCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _batchCommandsInUse = new(StringComparer.Ordinal);

    /// <summary>Wraps an open connection; the session owns it from now on and closes it on <see cref="Dispose"/>.</summary>
    /// <param name="dialect">The connection's dialect.</param>
    /// <param name="connection">The open connection.</param>
    public RelationalSession(SqlDialect dialect, DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(connection);
        Dialect = dialect;
        Connection = connection;
    }

    /// <summary>The connection's dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>A statement of the catalogue, prepared once; its parameters are <c>$1</c> .. <c>$count</c>.</summary>
    internal DbCommand Command(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = CreateCommand(sql, parameterCount);
            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>
    /// A statement whose <see cref="SqlCatalog.InMarker"/> is replaced by <paramref name="size"/> parameters following
    /// its fixed parameters <c>$1</c> .. <c>$fixedCount</c>; for a dialect that binds lists as arrays, its
    /// <c>IN (..)</c> becomes <c>= ANY(..)</c> of the one parameter after the fixed ones, whatever the size.
    /// </summary>
    internal DbCommand InCommand(string template, int fixedCount, int size)
    {
        if (Dialect.BindsListsAsArrays)
        {
            size = 1;
        }

        if (!_inCommands.TryGetValue((template, size), out var command))
        {
            if (Dialect.BindsListsAsArrays)
            {
                command = CreateCommand(template.Replace("IN (" + SqlCatalog.InMarker + ")", "= ANY(" + Dialect.Parameter(fixedCount + 1) + ")", StringComparison.Ordinal), fixedCount + 1);
                _inCommands.Add((template, size), command);
                return command;
            }

            var markers = new string[size];
            for (var i = 0; i < size; i++)
            {
                markers[i] = Dialect.Parameter(fixedCount + i + 1);
            }

            command = CreateCommand(template.Replace(SqlCatalog.InMarker, string.Join(", ", markers), StringComparison.Ordinal), fixedCount + size);
            _inCommands.Add((template, size), command);
        }

        return command;
    }

    /// <summary>A statement whose parameters are numbered as <see cref="SqlBuilder"/> numbers them, with <paramref name="values"/> bound; kept by text.</summary>
    internal DbCommand BuiltCommand(string sql, IReadOnlyList<object?> values, out bool cached)
    {
        cached = _builtCommands.TryGetValue(sql, out var command);
        if (!cached)
        {
            command = CreateCommand(sql, values.Count);
            if (_builtCommands.Count < MaxBuiltCommands)
            {
                _builtCommands.Add(sql, command);
                cached = true;
            }
        }

        var parameters = command!.Parameters;
        for (var i = 0; i < values.Count; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>A new batch on the connection; every kept batch statement is free for it.</summary>
    internal DbBatch CreateBatch()
    {
        _batchCommandsInUse.Clear();
        return Connection.CreateBatch();
    }

    /// <summary>
    /// A statement with <paramref name="sql"/> for <paramref name="batch"/>, not yet used in it: a kept one (with the
    /// parameters of its last use, to be rebound), else a new one, kept when there is room.
    /// </summary>
    internal DbBatchCommand BatchCommand(DbBatch batch, string sql)
    {
        _batchCommandsInUse.TryGetValue(sql, out var used);
        if (!_batchCommands.TryGetValue(sql, out var kept))
        {
            kept = null;
            if (_batchCommands.Count < MaxBatchTexts)
            {
                kept = [];
                _batchCommands.Add(sql, kept);
            }
        }

        if (kept is not null && used < kept.Count)
        {
            _batchCommandsInUse[sql] = used + 1;
            return kept[used];
        }

        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        if (kept is not null && kept.Count < MaxBatchCommandsPerText)
        {
            kept.Add(command);
            _batchCommandsInUse[sql] = used + 1;
        }

        return command;
    }

    /// <summary>Disposes the cached statements and closes the connection.</summary>
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var command in _inCommands.Values)
        {
            command.Dispose();
        }

        foreach (var command in _builtCommands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _inCommands.Clear();
        _builtCommands.Clear();
        _batchCommands.Clear();
        Connection.Dispose();
    }

    private DbCommand CreateCommand(string sql, int parameterCount)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 1; i <= parameterCount; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = Dialect.ParameterName(i);
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private sealed class TemplateSizeComparer : IEqualityComparer<(string Template, int Size)>
    {
        public bool Equals((string Template, int Size) x, (string Template, int Size) y) =>
            ReferenceEquals(x.Template, y.Template) && x.Size == y.Size;

        public int GetHashCode((string Template, int Size) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Template), obj.Size);
    }
}
