using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>
/// One open connection with its own prepared-statement caches. A session is used by one unit of work at a time:
/// the backend's writer session under its lock, or a reader session taken from its pool.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    // Prepared statements: fixed SQL keyed by reference (catalogue strings are interned constants), IN-list
    // variants by (template, size), built SQL by text. A bounded number of built statements is kept.
    private const int MaxBuiltCommands = 256;

    private readonly Dictionary<string, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance as IEqualityComparer<string>);
    private readonly Dictionary<(string Template, int Size), SqliteCommand> _inCommands = new(new TemplateSizeComparer());
    private readonly Dictionary<string, SqliteCommand> _builtCommands = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>A statement of the catalogue, prepared once; its parameters are <c>$1</c> .. <c>$count</c>.</summary>
    public SqliteCommand Command(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = CreateCommand(sql);
            for (var i = 1; i <= parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
            }

            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>
    /// A statement whose <c>@@IN@@</c> marker is replaced by <paramref name="size"/> parameters <c>$i0</c>..;
    /// its fixed parameters are <c>$1</c> .. <c>$fixedCount</c> and come first.
    /// </summary>
    public SqliteCommand InCommand(string template, int fixedCount, int size)
    {
        if (!_inCommands.TryGetValue((template, size), out var command))
        {
            var names = new string[size];
            for (var i = 0; i < size; i++)
            {
                names[i] = "$i" + i.ToString(CultureInfo.InvariantCulture);
            }

            command = CreateCommand(template.Replace("@@IN@@", string.Join(", ", names), StringComparison.Ordinal));
            for (var i = 1; i <= fixedCount; i++)
            {
                command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
            }

            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            _inCommands.Add((template, size), command);
        }

        return command;
    }

    /// <summary>A statement built by a <see cref="SqlBuilder"/>, with its values bound.</summary>
    public SqliteCommand BuiltCommand(SqlBuilder builder, out bool cached)
    {
        var sql = builder.Build();
        var values = builder.Values;
        cached = _builtCommands.TryGetValue(sql, out var command);
        if (!cached)
        {
            command = CreateCommand(sql);
            for (var i = 0; i < values.Count; i++)
            {
                command.Parameters.Add(new SqliteParameter(SqlBuilder.ParameterName(i), null));
            }

            if (_builtCommands.Count < MaxBuiltCommands)
            {
                _builtCommands.Add(sql, command);
                cached = true;
            }
        }

        for (var i = 0; i < values.Count; i++)
        {
            command!.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command!;
    }

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
        Connection.Dispose();
    }

    private SqliteCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private sealed class TemplateSizeComparer : IEqualityComparer<(string Template, int Size)>
    {
        public bool Equals((string Template, int Size) x, (string Template, int Size) y) =>
            ReferenceEquals(x.Template, y.Template) && x.Size == y.Size;

        public int GetHashCode((string Template, int Size) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Template), obj.Size);
    }
}
