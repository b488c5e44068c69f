using System.Data.Common;
using MetadataStore.Query;
using Microsoft.Data.Sqlite;

namespace MetadataStore.Storage.Sqlite;

/// <summary>Lineage: the shared <see cref="LineageTraversal"/> with SQLite's SQL, run on this transaction.</summary>
internal sealed partial class SqliteStorageTransaction : ILineageCommands
{
    public ValueTask<LineageRecords> TraverseLineageAsync(LineageTraversalQuery query, CancellationToken cancellationToken)
    {
        var traversal = new LineageTraversal(SqliteLineageSql.Instance, this, SqliteFilterDialect.Instance);
        return ValueTask.FromResult(traversal.Run(query, cancellationToken));
    }

    int ILineageCommands.Execute(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        var command = LineageCommand(sql, values, cancellationToken, out var cached);
        try
        {
            return NonQuery(command);
        }
        finally
        {
            if (!cached)
            {
                command.Dispose();
            }
        }
    }

    void ILineageCommands.Read(string sql, IReadOnlyList<object?> values, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        var command = LineageCommand(sql, values, cancellationToken, out var cached);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                row(reader);
            }
        }
        finally
        {
            if (!cached)
            {
                command.Dispose();
            }
        }
    }

    void ILineageCommands.ReadProperties(NodeKind kind, string sql, List<PropertyRecord> into, CancellationToken cancellationToken)
    {
        var command = LineageCommand(sql, [], cancellationToken, out var cached);
        try
        {
            ReadProperties(command, SqliteNodeSql.For(kind), into);
        }
        finally
        {
            if (!cached)
            {
                command.Dispose();
            }
        }
    }

    private SqliteCommand LineageCommand(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken, out bool cached)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = session.BuiltCommand(sql, values, out cached);
        command.Transaction = transaction;
        return command;
    }
}
