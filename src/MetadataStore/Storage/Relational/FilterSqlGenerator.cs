using System.Globalization;
using System.Text;
using MetadataStore.Query;

namespace MetadataStore.Storage.Relational;

/// <summary>A rendered filter: a condition on the node table's alias, and the values to bind.</summary>
/// <remarks>When a <see cref="Driver"/> is set, the condition holds the rest of the filter (empty when nothing is left).</remarks>
internal sealed record FilterSql(string Condition, IReadOnlyList<KeyValuePair<string, object>> Parameters)
{
    /// <summary>A top-level property equality taken out of the condition, for the listing to drive from.</summary>
    public FilterDriver? Driver { get; init; }
}

/// <summary>
/// A top-level conjunct <c>property.value = literal</c>: the listing reads the property table's rows of
/// <see cref="Name"/> and <see cref="IsCustom"/> meeting <see cref="Condition"/> (written on the driver alias) in owner
/// order and joins each node by id, so an id-ordered page stops after its last row.
/// </summary>
internal sealed record FilterDriver(string Name, bool IsCustom, string Condition);

/// <summary>What a caller may add to a rendering: a type-name lookup, and an alias to drive the listing from.</summary>
internal sealed record FilterRenderOptions
{
    /// <summary>
    /// Gives the ids of the types of the listed kind with the given names. When set, a leaf comparing the node's own
    /// type name with literals becomes <c>type_id = ?</c> (or an IN list), which an index on type_id serves in id
    /// order; without it the leaf is a subquery on Type.
    /// </summary>
    public Func<IReadOnlyList<string>, IReadOnlyList<long>>? ResolveTypes { get; init; }

    /// <summary>When set, the first top-level property equality becomes <see cref="FilterSql.Driver"/>, written on this alias.</summary>
    public string? DriverAlias { get; init; }

    /// <summary>
    /// Another index drives the listing (a context's members): a property leaf then probes the node's own property
    /// row (<c>EXISTS</c> on the primary key) instead of listing every match in the store first. Implied by a driver.
    /// </summary>
    public bool ProbeProperties { get; init; }
}

/// <summary>
/// Renders a bound filter as a SQL condition over the node table (aliased <c>nodeAlias</c>), every literal a bound
/// parameter. How it keeps SQL's three-valued logic and still lets the engine use MLMD's indexes:
/// <list type="bullet">
/// <item>NOT is first pushed down to the leaves (De Morgan, and each comparison replaced by its complement), which is
/// exact in three-valued logic. After that every leaf sits in a position where NULL and FALSE have the same effect.</item>
/// <item>So a leaf that reads a single property and nothing else of the node becomes
/// <c>node.id IN (SELECT owner FROM XProperty WHERE name = ? AND is_custom_property = ? AND leaf)</c>, which the partial
/// property indexes serve; a missing property makes the leaf NULL, that is not matched, as SQL would. IS NULL is the
/// one leaf that is true on NULL; it becomes <c>node.id NOT IN (... AND value IS NOT NULL)</c>. A leaf that mixes a
/// property with other fields reads the property by a scalar subquery (NULL when missing).</item>
/// <item>A leaf on the type name alone becomes <c>type_id IN (SELECT id FROM Type WHERE leaf)</c> (idx_type_name).</item>
/// <item>Neighbourhood aliases keep MLMD's join semantics: a node matches when some binding of its aliases to
/// neighbours makes the condition true. Top-level conjuncts are grouped by the aliases they share; each group is
/// one <c>node.id IN (SELECT ...)</c> (or a correlated EXISTS when it also reads the node), the others stay plain.</item>
/// </list>
/// </summary>
internal sealed class FilterSqlGenerator
{
    private readonly NodeKind _kind;
    private readonly SqlDialect _dialect;
    private readonly SqlCatalog _catalog;
    private readonly string _types;
    private readonly string _node;
    private readonly List<KeyValuePair<string, object>> _parameters = [];
    private readonly Func<object?, string>? _bind;
    private readonly FilterRenderOptions? _options;
    private FilterDriver? _driver;
    private bool _probe;
    private int _subqueries;

    private FilterSqlGenerator(NodeKind kind, SqlCatalog catalog, string nodeAlias, Func<object?, string>? bind, FilterRenderOptions? options)
    {
        _bind = bind;
        _options = options;
        _probe = options?.ProbeProperties == true;
        _kind = kind;
        _catalog = catalog;
        _dialect = catalog.Dialect;
        _types = _dialect.Table("Type");
        _node = nodeAlias;
    }

    /// <summary>Renders <paramref name="filter"/> as a condition on <paramref name="nodeAlias"/>, binding each value through <paramref name="bind"/> (which returns the marker to use).</summary>
    public static FilterSql Generate(FilterQuery filter, SqlCatalog catalog, Func<object?, string> bind, string nodeAlias, FilterRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(bind);
        return Generate(filter.Bound, filter.Kind, catalog, nodeAlias, bind, options);
    }

    /// <summary>Renders <paramref name="filter"/> as a condition on <paramref name="nodeAlias"/>, numbering its values from <c>$1</c> and returning them in <see cref="FilterSql.Parameters"/> by parameter name.</summary>
    public static FilterSql Generate(FilterQuery filter, SqlDialect dialect, string nodeAlias = "n")
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(dialect);
        return Generate(filter.Bound, filter.Kind, dialect.Catalog, nodeAlias, bind: null, options: null);
    }

    private static FilterSql Generate(Bound filter, NodeKind kind, SqlCatalog catalog, string nodeAlias, Func<object?, string>? bind, FilterRenderOptions? options)
    {
        var generator = new FilterSqlGenerator(kind, catalog, nodeAlias, bind, options);
        string sql = generator.Top(PushNot(filter, false));
        return new FilterSql(sql, generator._parameters) { Driver = generator._driver };
    }

    /// <summary>Pushes NOT down to the leaves; exact under three-valued logic.</summary>
    internal static Bound PushNot(Bound bound, bool negate) => bound switch
    {
        BoundNot not => PushNot(not.Operand, !negate),
        BoundLogical logical => new BoundLogical(logical.IsAnd ^ negate, logical.Operands.Select(o => PushNot(o, negate)).ToList()),
        BoundCompare compare when negate => compare with { Op = compare.Op.Negate() },
        BoundIn @in when negate => @in with { Negated = !@in.Negated },
        BoundLike like when negate => like with { Negated = !like.Negated },
        BoundIsNull isNull when negate => isNull with { Negated = !isNull.Negated },
        BoundConstant constant when negate => new BoundConstant(!constant.Value),
        _ => bound,
    };

    // ---- top level: alias groups ----

    private string Top(Bound filter)
    {
        IReadOnlyList<Bound> conjuncts = filter is BoundLogical { IsAnd: true } and ? and.Operands : [filter];
        if (_options?.DriverAlias is { } driverAlias && conjuncts.FirstOrDefault(IsDriver) is { } driver)
        {
            var property = (BoundProperty)(((BoundCompare)driver).Left as BoundProperty ?? ((BoundCompare)driver).Right);
            _driver = new FilterDriver(property.Name, property.IsCustom, LeafSql(driver, v => v is BoundProperty p ? driverAlias + "." + p.ValueColumn : null));
            conjuncts = conjuncts.Where(c => !ReferenceEquals(c, driver)).ToList();
            _probe = true;
            if (conjuncts.Count == 0)
            {
                return string.Empty;
            }
        }

        var groups = new List<(HashSet<FilterAlias> Aliases, List<Bound> Conjuncts)>();
        var plain = new List<string>();
        foreach (Bound conjunct in conjuncts)
        {
            var aliases = new HashSet<FilterAlias>();
            CollectAliases(conjunct, aliases);
            if (aliases.Count == 0)
            {
                plain.Add(Condition(conjunct));
                continue;
            }

            // Merge every group that shares an alias with this conjunct.
            var merged = (Aliases: aliases, Conjuncts: new List<Bound> { conjunct });
            for (int i = groups.Count - 1; i >= 0; i--)
            {
                if (groups[i].Aliases.Overlaps(aliases))
                {
                    merged.Aliases.UnionWith(groups[i].Aliases);
                    merged.Conjuncts.InsertRange(0, groups[i].Conjuncts);
                    groups.RemoveAt(i);
                }
            }

            groups.Add(merged);
        }

        foreach ((HashSet<FilterAlias> aliases, List<Bound> group) in groups)
        {
            plain.Add(Group(aliases.OrderBy(a => a.Index).ToList(), group));
        }

        return Join(plain, " AND ");
    }

    /// <summary>Whether the conjunct is property.value = literal on a value column the property indexes cover.</summary>
    private static bool IsDriver(Bound conjunct) => conjunct switch
    {
        BoundCompare { Op: BinaryOp.Equal, Left: BoundProperty property, Right: BoundLiteral } => IsIndexedValue(property),
        BoundCompare { Op: BinaryOp.Equal, Left: BoundLiteral, Right: BoundProperty property } => IsIndexedValue(property),
        _ => false,
    };

    private static bool IsIndexedValue(BoundProperty property) =>
        property.ValueColumn is "int_value" or "double_value" or "string_value" or "bool_value";

    private string Group(List<FilterAlias> aliases, List<Bound> conjuncts)
    {
        var from = new List<string>();
        var links = new List<string>();
        foreach (FilterAlias alias in aliases)
        {
            (string source, string link) = AliasSource(alias);
            from.Add(source);
            links.Add(link);
        }

        string condition = Join(conjuncts.Select(Condition).ToList(), " AND ");
        string froms = string.Join(" CROSS JOIN ", from);
        bool readsNode = conjuncts.Exists(ReadsNode);
        var where = new StringBuilder();
        if (readsNode)
        {
            foreach (string link in links)
            {
                where.Append(link).Append(" = ").Append(_node).Append(".id AND ");
            }

            return $"EXISTS (SELECT 1 FROM {froms} WHERE {where}{condition})";
        }

        for (int i = 1; i < links.Count; i++)
        {
            where.Append(links[i]).Append(" = ").Append(links[0]).Append(" AND ");
        }

        return $"{_node}.id IN (SELECT {links[0]} FROM {froms} WHERE {where}{condition})";
    }

    private static string AliasSql(FilterAlias alias) => "fa" + alias.Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The FROM item of an alias and the column that holds the listed node's id.</summary>
    private (string Source, string Link) AliasSource(FilterAlias alias)
    {
        string a = AliasSql(alias);
        string l = a + "l";
        string owner = _kind switch
        {
            NodeKind.Artifact => "artifact_id",
            NodeKind.Execution => "execution_id",
            _ => "context_id",
        };
        string T(string table) => _dialect.Table(table);
        return alias.Kind switch
        {
            AliasKind.Contexts => ($"{T(_kind == NodeKind.Artifact ? "Attribution" : "Association")} {l} JOIN {T("Context")} {a} ON {a}.id = {l}.context_id", $"{l}.{owner}"),
            AliasKind.Artifacts => ($"{T("Attribution")} {l} JOIN {T("Artifact")} {a} ON {a}.id = {l}.artifact_id", $"{l}.context_id"),
            AliasKind.Executions => ($"{T("Association")} {l} JOIN {T("Execution")} {a} ON {a}.id = {l}.execution_id", $"{l}.context_id"),
            AliasKind.ParentContexts => ($"{T("ParentContext")} {l} JOIN {T("Context")} {a} ON {a}.id = {l}.parent_context_id", $"{l}.context_id"),
            AliasKind.ChildContexts => ($"{T("ParentContext")} {l} JOIN {T("Context")} {a} ON {a}.id = {l}.context_id", $"{l}.parent_context_id"),
            _ => ($"{T("Event")} {a}", $"{a}.{owner}"),
        };
    }

    private static void CollectAliases(Bound bound, HashSet<FilterAlias> into)
    {
        switch (bound)
        {
            case BoundColumn { Alias: { } alias }:
                into.Add(alias);
                break;
            case BoundTypeName { Alias: { } alias }:
                into.Add(alias);
                break;
            default:
                foreach (Bound child in Children(bound))
                {
                    CollectAliases(child, into);
                }

                break;
        }
    }

    private static bool ReadsNode(Bound bound) => bound switch
    {
        BoundColumn column => column.Alias is null,
        BoundTypeName typeName => typeName.Alias is null,
        BoundProperty => true,
        _ => Children(bound).Any(ReadsNode),
    };

    private static IEnumerable<Bound> Children(Bound bound) => bound switch
    {
        BoundNot not => [not.Operand],
        BoundLogical logical => logical.Operands,
        BoundCompare compare => [compare.Left, compare.Right],
        BoundArithmetic arithmetic => [arithmetic.Left, arithmetic.Right],
        BoundNegate negate => [negate.Operand],
        BoundIn @in => [@in.Operand, .. @in.Values],
        BoundLike like => [like.Operand],
        BoundIsNull isNull => [isNull.Operand],
        _ => [],
    };

    // ---- conditions ----

    /// <summary>Joins as a balanced tree of parentheses so long chains do not hit the engine's expression depth limit.</summary>
    private static string Join(IReadOnlyList<string> parts, string op)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        return JoinRange(parts, 0, parts.Count, op);
    }

    private static string JoinRange(IReadOnlyList<string> parts, int start, int count, string op)
    {
        if (count == 1)
        {
            return parts[start];
        }

        int half = count / 2;
        return "(" + JoinRange(parts, start, half, op) + op + JoinRange(parts, start + half, count - half, op) + ")";
    }

    private string Condition(Bound bound)
    {
        switch (bound)
        {
            case BoundLogical logical:
                return Join(logical.Operands.Select(Condition).ToList(), logical.IsAnd ? " AND " : " OR ");
            case BoundConstant constant:
                return constant.Value ? "(1 = 1)" : "(1 = 0)";
            case BoundNot not:
                return "(NOT " + Condition(not.Operand) + ")";
            default:
                return Leaf(bound);
        }
    }

    private string Leaf(Bound leaf)
    {
        var properties = new HashSet<(bool IsCustom, string Name)>();
        bool other = false;
        BoundTypeName? typeName = null;
        bool mixedTypeNames = false;
        Scan(leaf, properties, ref other, ref typeName, ref mixedTypeNames);

        if (properties.Count == 1 && !other && typeName is null)
        {
            (bool isCustom, string name) = properties.First();
            return PropertyLeaf(leaf, isCustom, name);
        }

        if (properties.Count == 0 && !other && typeName is { Alias: null } && _options?.ResolveTypes is { } resolve && TypeNames(leaf) is { } names)
        {
            // The node's own type by name: resolved to ids now, so an index on type_id can give the page in id order.
            IReadOnlyList<long> ids = resolve(names);
            return ids.Count switch
            {
                0 => "(1 = 0)",
                1 => $"{_node}.type_id = {Bind(ids[0])}",
                _ => $"{_node}.type_id IN ({string.Join(", ", ids.Select(id => Bind(id)))})",
            };
        }

        if (properties.Count == 0 && !other && typeName is not null && !mixedTypeNames && leaf is not BoundIsNull)
        {
            string t = NextAlias("ft");
            string owner = typeName.Alias is null ? _node : AliasSql(typeName.Alias);
            string inner = LeafSql(leaf, v => v is BoundTypeName ? t + ".name" : null);
            return $"{owner}.type_id IN (SELECT {t}.id FROM {_types} {t} WHERE {inner})";
        }

        string sql = LeafSql(leaf, _ => null);
        if (NameLookup(leaf) is { } column && TypeKindOf(column.Alias) is int typeKind)
        {
            // The only index on name is UNIQUE (type_id, name); naming every type of the kind lets SQLite use it.
            string t = NextAlias("ft");
            string owner = column.Alias is null ? _node : AliasSql(column.Alias);
            return $"({owner}.type_id IN (SELECT {t}.id FROM {_types} {t} WHERE {t}.type_kind = {typeKind}) AND {sql})";
        }

        return sql;
    }

    /// <summary>The names when the leaf is type = literal or type IN (literals); null otherwise.</summary>
    private static IReadOnlyList<string>? TypeNames(Bound leaf) => leaf switch
    {
        BoundCompare { Op: BinaryOp.Equal, Left: BoundTypeName, Right: BoundLiteral { Value: string name } } => [name],
        BoundCompare { Op: BinaryOp.Equal, Left: BoundLiteral { Value: string name }, Right: BoundTypeName } => [name],
        BoundIn { Negated: false, Operand: BoundTypeName } @in when @in.Values.All(v => v is BoundLiteral { Value: string }) =>
            @in.Values.Select(v => (string)((BoundLiteral)v).Value).Distinct(StringComparer.Ordinal).ToList(),
        _ => null,
    };

    /// <summary>MLMD's Type.type_kind of the table a column belongs to; null for Event.</summary>
    private int? TypeKindOf(FilterAlias? alias) => alias?.Kind switch
    {
        null => _kind switch
        {
            NodeKind.Execution => 0,
            NodeKind.Artifact => 1,
            _ => 2,
        },
        AliasKind.Executions => 0,
        AliasKind.Artifacts => 1,
        AliasKind.Events => null,
        _ => 2,
    };

    /// <summary>The name column when the leaf is name = literal or name IN (literals).</summary>
    private static BoundColumn? NameLookup(Bound leaf) => leaf switch
    {
        BoundCompare { Op: BinaryOp.Equal, Left: BoundColumn { Column: "name" } column, Right: BoundLiteral } => column,
        BoundCompare { Op: BinaryOp.Equal, Left: BoundLiteral, Right: BoundColumn { Column: "name" } column } => column,
        BoundIn { Negated: false, Operand: BoundColumn { Column: "name" } column } @in when @in.Values.All(v => v is BoundLiteral) => column,
        _ => null,
    };

    private static void Scan(Bound bound, HashSet<(bool, string)> properties, ref bool other, ref BoundTypeName? typeName, ref bool mixedTypeNames)
    {
        switch (bound)
        {
            case BoundProperty property:
                properties.Add((property.IsCustom, property.Name));
                break;
            case BoundColumn:
                other = true;
                break;
            case BoundTypeName name:
                if (typeName is not null && typeName != name)
                {
                    mixedTypeNames = true;
                }

                typeName = name;
                break;
            default:
                foreach (Bound child in Children(bound))
                {
                    Scan(child, properties, ref other, ref typeName, ref mixedTypeNames);
                }

                break;
        }
    }

    private (string Table, string Owner) PropertyTable => (_catalog.Node(_kind).PropertyTable, _catalog.Node(_kind).OwnerColumn);

    private string PropertyLeaf(Bound leaf, bool isCustom, string name)
    {
        string p = NextAlias("fp");
        (string table, string owner) = PropertyTable;
        Func<Bound, string?> map = v => v is BoundProperty property ? p + "." + property.ValueColumn : null;
        if (_probe)
        {
            string probe = $"SELECT 1 FROM {table} {p} WHERE {p}.{owner} = {_node}.id AND {p}.name = {Bind(name)} AND {p}.is_custom_property = {_dialect.BoolLiteral(isCustom)}";
            return leaf is BoundIsNull { Negated: false } missing
                ? $"NOT EXISTS ({probe} AND {Value(missing.Operand, map)} IS NOT NULL{_dialect.RowProbeSuffix})"
                : $"EXISTS ({probe} AND {LeafSql(leaf, map)}{_dialect.RowProbeSuffix})";
        }

        string head = $"SELECT {p}.{owner} FROM {table} {p} WHERE {p}.name = {Bind(name)} AND {p}.is_custom_property = {_dialect.BoolLiteral(isCustom)}";
        if (leaf is BoundIsNull { Negated: false } isNull)
        {
            // True when the property is missing or its value is NULL.
            return $"{_node}.id NOT IN ({head} AND {Value(isNull.Operand, map)} IS NOT NULL)";
        }

        return $"{_node}.id IN ({head} AND {LeafSql(leaf, map)})";
    }

    private string LeafSql(Bound leaf, Func<Bound, string?> map) => leaf switch
    {
        BoundCompare { Op: BinaryOp.Equal, Right: BoundLiteral { Value: string text } } compare when IsIndexedText(compare.Left) =>
            _dialect.TextEquals(Value(compare.Left, map), Value(compare.Right, map), text),
        BoundCompare { Op: BinaryOp.Equal, Left: BoundLiteral { Value: string text } } compare when IsIndexedText(compare.Right) =>
            _dialect.TextEquals(Value(compare.Right, map), Value(compare.Left, map), text),
        BoundCompare compare => $"{Value(compare.Left, map)} {CompareSymbol(compare.Op)} {Value(compare.Right, map)}",
        BoundIn @in => $"{Value(@in.Operand, map)} {(@in.Negated ? "NOT IN" : "IN")} ({string.Join(", ", @in.Values.Select(v => Value(v, map)))})",
        BoundLike like => _dialect.Like(Value(like.Operand, map), Bind(_dialect.LikePattern(like.Pattern)), like.Negated),
        BoundIsNull isNull => $"{Value(isNull.Operand, map)} {(isNull.Negated ? "IS NOT NULL" : "IS NULL")}",
        _ => throw new ArgumentOutOfRangeException(nameof(leaf)),
    };

    /// <summary>Whether the value is a text column that an index keys on (uri, a string property value).</summary>
    private static bool IsIndexedText(Bound value) => value is BoundProperty { ValueColumn: "string_value" } or BoundColumn { Column: "uri" };

    private static string CompareSymbol(BinaryOp op) => op == BinaryOp.NotEqual ? "<>" : op.Symbol();

    // ---- values ----

    private string Value(Bound value, Func<Bound, string?> map)
    {
        if (map(value) is { } mapped)
        {
            return mapped;
        }

        switch (value)
        {
            case BoundColumn column:
                return (column.Alias is null ? _node : AliasSql(column.Alias)) + "." + column.Column;
            case BoundTypeName typeName:
            {
                string t = NextAlias("ft");
                string owner = typeName.Alias is null ? _node : AliasSql(typeName.Alias);
                return $"(SELECT {t}.name FROM {_types} {t} WHERE {t}.id = {owner}.type_id)";
            }

            case BoundProperty property:
            {
                string p = NextAlias("fp");
                (string table, string owner) = PropertyTable;
                return $"(SELECT {p}.{property.ValueColumn} FROM {table} {p} WHERE {p}.{owner} = {_node}.id AND {p}.name = {Bind(property.Name)} AND {p}.is_custom_property = {_dialect.BoolLiteral(property.IsCustom)})";
            }

            case BoundLiteral literal:
                return Bind(literal.Value is bool b ? _dialect.BoolValue(b) : literal.Value);
            case BoundArithmetic arithmetic:
            {
                string l = Value(arithmetic.Left, map);
                string r = Value(arithmetic.Right, map);
                return arithmetic.Op == BinaryOp.Divide ? _dialect.Divide(l, r) : _dialect.Arithmetic(l, arithmetic.Op.Symbol(), r, arithmetic.Type == FilterType.Int);
            }

            case BoundNegate negate:
                return _dialect.Negate(Value(negate.Operand, map), negate.Type == FilterType.Int);
            default:
                throw new ArgumentOutOfRangeException(nameof(value));
        }
    }

    private string NextAlias(string prefix) => prefix + (_subqueries++).ToString(CultureInfo.InvariantCulture);

    private string Bind(object value)
    {
        if (_bind is not null)
        {
            return _bind(value);
        }

        _parameters.Add(new KeyValuePair<string, object>(_dialect.ParameterName(_parameters.Count + 1), value));
        return _dialect.Parameter(_parameters.Count);
    }
}
