using System.Data.Common;

namespace MetadataStore.Storage.Relational;

/// <summary>Lineage: the shared <see cref="LineageTraversal"/> with the dialect's SQL, run on this transaction.</summary>
internal sealed partial class RelationalTransaction : ILineageCommands
{
    public ValueTask<LineageRecords> TraverseLineageAsync(LineageTraversalQuery query, CancellationToken cancellationToken)
    {
        var traversal = new LineageTraversal(_sql, this);
        return ValueTask.FromResult(traversal.Run(query, cancellationToken));
    }

    int ILineageCommands.Execute(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        var command = LineageCommand(sql, values, cancellationToken, out var cached);
        try
        {
            return NonQuery(command, string.Empty);
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
            using var reader = Reader(command);
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

    void ILineageCommands.ReadProperties(string sql, IPropertyRowSink into, CancellationToken cancellationToken)
    {
        var command = LineageCommand(sql, [], cancellationToken, out var cached);
        try
        {
            ReadProperties(command, into);
        }
        finally
        {
            if (!cached)
            {
                command.Dispose();
            }
        }
    }

    private DbCommand LineageCommand(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken, out bool cached)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = session.BuiltCommand(sql, values, out cached);
        command.Transaction = transaction;
        return command;
    }
}
