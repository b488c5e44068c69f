using System.Data.Common;

namespace MetadataStore.Storage.Relational;

/// <summary>How <see cref="LineageTraversal"/> runs statements on a backend's open transaction.</summary>
internal interface ILineageCommands
{
    /// <summary>Runs a statement with its parameters (<c>$1</c>, ... in order); returns the rows it changed.</summary>
    int Execute(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken);

    /// <summary>Runs a query and calls <paramref name="row"/> for each row.</summary>
    void Read(string sql, IReadOnlyList<object?> values, Action<DbDataReader> row, CancellationToken cancellationToken);

    /// <summary>Runs a property query (owner id, name, is_custom_property, value columns) and decodes its rows.</summary>
    void ReadProperties(string sql, IPropertyRowSink into, CancellationToken cancellationToken);
}

/// <summary>
/// Lineage traversal inside the database, for every relational backend: a breadth-first search by batched frontier
/// expansion. The reached nodes sit in a temporary table keyed by (kind, id); each hop is one INSERT ... SELECT that
/// joins the previous hop's nodes to their events and skips nodes already there, so cycles end and each node is
/// reached once, at its shortest hop. Everything else is read by joining that table, so a traversal runs a fixed
/// number of statements plus one per hop, however many nodes it reaches. The SQL comes from the dialect's
/// <see cref="LineageSql"/>.
/// </summary>
internal sealed class LineageTraversal(SqlCatalog catalog, ILineageCommands db)
{
    private readonly LineageSql sql = catalog.Lineage;
    private readonly SqlDialect dialect = catalog.Dialect;

    private static readonly int[] InputTypes = [(int)EventType.DeclaredInput, (int)EventType.Input, (int)EventType.InternalInput];
    private static readonly int[] OutputTypes = [(int)EventType.DeclaredOutput, (int)EventType.Output, (int)EventType.InternalOutput, (int)EventType.PendingOutput];
    private static readonly int[] AllTypes = [.. OutputTypes, .. InputTypes];

    public LineageRecords Run(LineageTraversalQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var statement in sql.CreateVisitTable)
        {
            db.Execute(statement, [], cancellationToken);
        }

        db.Execute(sql.ClearVisits, [], cancellationToken);

        // Downstream leaves an artifact by the events that read it and an execution by the events it wrote; upstream the reverse.
        var fromArtifact = query.Upstream && query.Downstream ? AllTypes : query.Downstream ? InputTypes : query.Upstream ? OutputTypes : [];
        var fromExecution = query.Upstream && query.Downstream ? AllTypes : query.Downstream ? OutputTypes : query.Upstream ? InputTypes : [];

        Seed(query, cancellationToken);
        Expand(query, fromArtifact, fromExecution, cancellationToken);
        if (query.DropEndNodes && (query.EndArtifacts is not null || query.EndExecutions is not null))
        {
            db.Execute(sql.DropEnds, [], cancellationToken);
        }

        var records = new Collected();
        db.Read(sql.SelectVisits, [], r => records.Visits.Add(new LineageVisit((NodeKind)r.GetInt32(0), r.GetInt64(1), r.GetInt32(2), r.GetInt64(3) != 0)), cancellationToken);
        if (records.Visits.Count == 0)
        {
            return records.ToRecords();
        }

        if (query.ReadEvents)
        {
            var dropped = query.DropEndNodes && (query.EndArtifacts is not null || query.EndExecutions is not null);
            ReadEvents(records, query.MaxHops ?? int.MaxValue, fromArtifact, fromExecution, dropped, cancellationToken);
        }

        if (query.ReadContextEdges)
        {
            db.Read(sql.SelectAttributions, [], r => records.Attributions.Add(new Attribution(r.GetInt64(0), r.GetInt64(1))), cancellationToken);
            db.Read(sql.SelectAssociations, [], r => records.Associations.Add(new Association(r.GetInt64(0), r.GetInt64(1))), cancellationToken);
        }

        if (query.ReadNodes)
        {
            ReadNodes(records, NodeKind.Artifact, cancellationToken);
            ReadNodes(records, NodeKind.Execution, cancellationToken);
        }

        if (query.ReadContexts)
        {
            db.Execute(sql.AddContexts, [], cancellationToken);
            ReadNodes(records, NodeKind.Context, cancellationToken);
        }

        return records.ToRecords();
    }

    private void Seed(LineageTraversalQuery query, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(dialect);
        var end = EndCheck(query.StartKind, query, "n.\"id\"", parameters);
        if (query.StartFilter is { } filter)
        {
            var condition = FilterSqlGenerator.Generate(filter, catalog, parameters.Bind, "n").Condition;
            db.Execute(sql.SeedByFilter(query.StartKind, condition, end), parameters.Values, cancellationToken);
        }
        else
        {
            var id = parameters.Bind(query.StartId ?? throw new ArgumentException("A traversal needs a start filter or a start id.", nameof(query)));
            db.Execute(sql.SeedById(query.StartKind, id, end), parameters.Values, cancellationToken);
        }
    }

    private void Expand(LineageTraversalQuery query, int[] fromArtifact, int[] fromExecution, CancellationToken cancellationToken)
    {
        if (query.MaxHops == 0 || (fromArtifact.Length == 0 && fromExecution.Length == 0))
        {
            return;
        }

        var parameters = new Parameters(dialect);
        var hop = parameters.Bind(0L);
        var next = parameters.Bind(1L);
        var executionEnd = EndCheck(NodeKind.Execution, query, "ev.\"execution_id\"", parameters);
        var artifactEnd = EndCheck(NodeKind.Artifact, query, "ev.\"artifact_id\"", parameters);
        var statement = sql.Expand(hop, next, fromArtifact, fromExecution, executionEnd, artifactEnd);
        for (long h = 0; query.MaxHops is not int max || h < max; h++)
        {
            parameters.Values[0] = h;
            parameters.Values[1] = h + 1;
            if (db.Execute(statement, parameters.Values, cancellationToken) == 0)
            {
                break;
            }
        }
    }

    private string EndCheck(NodeKind kind, LineageTraversalQuery query, string idExpression, Parameters parameters)
    {
        var filter = kind == NodeKind.Artifact ? query.EndArtifacts : query.EndExecutions;
        return filter is null ? "0" : sql.EndCheck(kind, idExpression, FilterSqlGenerator.Generate(filter, catalog, parameters.Bind, "lend").Condition);
    }

    private void ReadEvents(Collected records, int maxHops, int[] fromArtifact, int[] fromExecution, bool checkOtherEnd, CancellationToken cancellationToken)
    {
        var parameters = new Parameters(dialect);
        var max = parameters.Bind((long)maxHops);
        EventRecord? last = null;
        List<EventStep>? steps = null;
        var events = records.Events;
        db.Read(sql.SelectEvents(max, fromArtifact, fromExecution, checkOtherEnd), parameters.Values, r =>
        {
            var id = r.GetInt64(0);
            if (last is null || last.Id != id)
            {
                steps = null;
                last = new EventRecord
                {
                    Id = id,
                    ArtifactId = r.GetInt64(1),
                    ExecutionId = r.GetInt64(2),
                    Type = r.GetInt32(3),
                    Time = r.IsDBNull(4) ? null : r.GetInt64(4),
                };
                events.Add(last);
            }

            if (!r.IsDBNull(5))
            {
                if (steps is null)
                {
                    steps = [];
                    last = last with { Path = steps };
                    events[^1] = last;
                }

                steps.Add(dialect.ReadBool(r, 5)
                    ? EventStep.ForIndex(r.IsDBNull(6) ? 0 : r.GetInt64(6))
                    : EventStep.ForKey(r.IsDBNull(7) ? string.Empty : r.GetString(7)));
            }
        }, cancellationToken);
    }

    private void ReadNodes(Collected records, NodeKind kind, CancellationToken cancellationToken)
    {
        var nodes = records.Nodes[(int)kind];
        db.Read(sql.SelectNodes(kind), [], r => nodes.Add(RelationalTransaction.ReadNode(r)), cancellationToken);
        if (nodes.Count > 0)
        {
            db.ReadProperties(sql.SelectProperties(kind), records.Properties[(int)kind], cancellationToken);
        }
    }

    /// <summary>Parameter values in order, numbered <c>$1</c>, <c>$2</c>, ... in the dialect's spelling.</summary>
    private sealed class Parameters(SqlDialect dialect)
    {
        public List<object?> Values { get; } = [];

        public string Bind(object? value)
        {
            Values.Add(value);
            return dialect.Parameter(Values.Count);
        }
    }

    /// <summary>What the traversal has read so far.</summary>
    private sealed class Collected
    {
        public List<LineageVisit> Visits { get; } = [];

        public List<EventRecord> Events { get; } = [];

        public List<Attribution> Attributions { get; } = [];

        public List<Association> Associations { get; } = [];

        public List<NodeRecord>[] Nodes { get; } = [[], [], []];

        public PropertyRecordList[] Properties { get; } = [new(), new(), new()];

        public LineageRecords ToRecords() => new()
        {
            Visits = Visits,
            Events = Events,
            Attributions = Attributions,
            Associations = Associations,
            Nodes = Nodes,
            Properties = Properties,
        };
    }
}
