namespace MetadataStore.Storage.Relational;

/// <summary>
/// Renders one page of a node listing as a statement whose plan reads the page in index order and stops at the
/// limit, so a page costs the same in a store of ten thousand nodes as in one of millions:
/// <list type="bullet">
/// <item>A context's members by id are read from the membership table's unique (context_id, member) index, which
/// the keyset <c>member &gt; ?</c> enters at the cursor; the node rows are then joined by id.</item>
/// <item>A filter whose top level has a property equality, by id, is read from our covering property index (name,
/// is_custom_property, value, owner): the matching owner ids come in order, and each node is joined by id.</item>
/// <item>Everything else reads the node table, where a type, a state or a time ordering has an index of its own; a
/// type name in the filter is resolved to ids first so that <c>type_id = ?</c> can use one.</item>
/// <item>A time keyset is written as <c>time &gt;= v AND (time &gt; v OR id &gt; i)</c>, so the index range starts at
/// the cursor instead of at the first row; or, where the dialect says so, as the row comparison
/// <c>(time, id) &gt; (v, i)</c>, which a (time, id) index takes whole as its range.</item>
/// </list>
/// The dialect's <see cref="SqlDialect.OrderedJoin"/> fixes the join order where the database allows it (SQLite keeps
/// the left table of a CROSS JOIN outermost), so the plan does not depend on statistics. Where the dialect fences
/// per-row probes instead (<see cref="SqlDialect.RowProbeSuffix"/>, PostgreSQL), the node row of a driven listing is
/// read by a lateral subquery per driving row, which leaves the planner a nested loop in the driving index's order
/// whatever it expects of the other conditions.
/// </summary>
internal static class KeysetPager
{
    public static SqlBuilder Build(SqlDialect dialect, NodeListQuery query, Func<IReadOnlyList<string>, IReadOnlyList<long>>? resolveTypes)
    {
        ArgumentNullException.ThrowIfNull(query);
        string Q(string name) => dialect.Quote(name);
        var catalog = dialect.Catalog;
        var join = dialect.OrderedJoin;
        var sql = catalog.Node(query.Kind);
        var builder = new SqlBuilder(dialect).Select(sql.SelectColumns);
        var byId = query.OrderBy == NodeOrder.Id;
        var idColumn = $"n.{Q("id")}";
        var options = new FilterRenderOptions { ResolveTypes = resolveTypes };

        // The table whose index gives the node ids in order (a context's memberships, a property), if not the node's.
        string? driving = null;

        // Where the dialect fences per-row probes, the node row is read by one too (a lateral subquery per driving
        // row), so the planner cannot hash or sort the node table's matches instead of walking the driving index.
        var probeNodes = dialect.RowProbeSuffix.Length > 0;

        if (query.ContextId is long contextId)
        {
            var (table, member) = query.Kind switch
            {
                NodeKind.Artifact => ("Attribution", "artifact_id"),
                NodeKind.Execution => ("Association", "execution_id"),
                _ => throw new ArgumentException("Only artifacts and executions belong to contexts.", nameof(query)),
            };
            if (byId)
            {
                driving = $"{dialect.Table(table)} AS m";
                idColumn = $"m.{Q(member)}";
                if (!probeNodes)
                {
                    builder.From($"{driving} {join} {sql.FromWithAlias} ON n.{Q("id")} = {idColumn}").Join(sql.TypeJoin);
                }

                builder.Where($"m.{Q("context_id")} = {builder.Bind(contextId)}");
                options = options with { ProbeProperties = true };
            }
            else
            {
                // Ordered by a time of the node table, which no index shares with the membership table.
                builder.From(sql.FromWithAlias).Join(sql.TypeJoin)
                    .Join($"JOIN {dialect.Table(table)} AS m ON m.{Q(member)} = n.{Q("id")} AND m.{Q("context_id")} = {builder.Bind(contextId)}");
            }
        }
        else if (byId && query.Filter is not null)
        {
            options = options with { DriverAlias = "d" };
        }

        FilterSql? filter = query.Filter is null ? null : FilterSqlGenerator.Generate(query.Filter, catalog, builder.Bind, "n", options);
        if (filter?.Driver is { } driver)
        {
            driving = $"{sql.PropertyTable} AS d";
            idColumn = $"d.{sql.PropertyOwner}";
            if (!probeNodes)
            {
                builder.From($"{driving} {join} {sql.FromWithAlias} ON n.{Q("id")} = {idColumn}").Join(sql.TypeJoin);
            }

            builder.Where($"d.{Q("name")} = {builder.Bind(driver.Name)} AND d.{Q("is_custom_property")} = {dialect.BoolLiteral(driver.IsCustom)} AND {driver.Condition}");
        }
        else if (query.ContextId is null)
        {
            builder.From(sql.FromWithAlias).Join(sql.TypeJoin);
        }

        // Conditions on the node row; with a probe, they are checked inside it, per driving row.
        var nodeConditions = new List<string> { $"n.{Q("id")} = {idColumn}" };
        Action<string> onNode = driving is not null && probeNodes ? nodeConditions.Add : c => builder.Where(c);
        if (query.TypeId is long typeId)
        {
            onNode($"n.{Q("type_id")} = {builder.Bind(typeId)}");
        }

        if (filter is { Condition.Length: > 0 })
        {
            onNode(filter.Condition);
        }

        if (driving is not null && probeNodes)
        {
            var where = string.Join(" AND ", nodeConditions.Select(c => $"({c})"));
            // The type name by a probe as well: a plain join lets the planner hash the probed row with the Type table.
            builder.From($"{driving}\nJOIN LATERAL (SELECT * FROM {sql.FromWithAlias} WHERE {where}{dialect.RowProbeSuffix}) AS n ON TRUE")
                .Join($"LEFT JOIN LATERAL (SELECT t.{Q("name")} FROM {dialect.Table("Type")} AS t WHERE t.{Q("id")} = n.{Q("type_id")}{dialect.RowProbeSuffix}) AS t ON TRUE");
        }

        var field = query.OrderBy switch
        {
            NodeOrder.Id => idColumn,
            NodeOrder.CreateTime => $"n.{Q("create_time_since_epoch")}",
            NodeOrder.LastUpdateTime => $"n.{Q("last_update_time_since_epoch")}",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.OrderBy, "Unknown order."),
        };
        var direction = query.Descending ? "DESC" : "ASC";
        var beyond = query.Descending ? "<" : ">";
        if (query.After is PageCursor after)
        {
            if (byId)
            {
                builder.Where($"{idColumn} {beyond} {builder.Bind(after.Id)}");
            }
            else
            {
                var value = builder.Bind(after.Value);
                builder.Where(dialect.RowValueKeyset
                    ? $"({field}, n.{Q("id")}) {beyond} ({value}, {builder.Bind(after.Id)})"
                    : $"{field} {beyond}= {value} AND ({field} {beyond} {value} OR n.{Q("id")} {beyond} {builder.Bind(after.Id)})");
            }
        }

        builder.OrderBy(byId ? $"{idColumn} {direction}" : $"{field} {direction}, n.{Q("id")} {direction}");
        builder.Limit(query.Limit);
        return builder;
    }
}
