using System.Globalization;

namespace MetadataStore.Query;

/// <summary>
/// Checks a filter's names and types for one node kind and produces the bound tree the SQL generator renders.
/// MLMD's rule that <c>!=</c> and <c>NOT IN</c> on an enum field also match a NULL state is applied here.
/// </summary>
internal sealed class FilterResolver
{
    /// <summary>The largest number of distinct neighbourhood aliases a query may use (each is a join).</summary>
    public const int MaxAliases = 8;

    private static readonly string[] ValueColumns = ["int_value", "double_value", "string_value", "bool_value"];

    private readonly NodeKind _kind;
    private readonly Dictionary<string, FilterAlias> _aliases = new(StringComparer.Ordinal);

    private FilterResolver(NodeKind kind)
    {
        _kind = kind;
    }

    /// <summary>Resolves <paramref name="syntax"/> as a condition on nodes of <paramref name="kind"/>; throws InvalidArgument.</summary>
    public static Bound Resolve(FilterSyntax syntax, NodeKind kind)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var resolver = new FilterResolver(kind);
        return resolver.Condition(syntax);
    }

    private Bound Condition(FilterSyntax syntax)
    {
        Bound bound = Expression(syntax);
        if (bound.IsCondition())
        {
            return bound;
        }

        if (bound.Type.Kind == FilterValueKind.Bool)
        {
            return bound is BoundLiteral { Value: bool constant }
                ? new BoundConstant(constant)
                : new BoundCompare(BinaryOp.Equal, bound, new BoundLiteral(true, FilterType.Bool));
        }

        throw FilterErrors.Create(syntax.Position, $"the expression is not a valid boolean expression (its type is {bound.Type}); expected a condition such as a comparison.");
    }

    private Bound Value(FilterSyntax syntax)
    {
        Bound bound = Expression(syntax);
        if (bound.IsCondition())
        {
            throw FilterErrors.Create(syntax.Position, "expected a value (a field, a literal or arithmetic), found a condition; conditions cannot be compared.");
        }

        return bound;
    }

    private Bound Expression(FilterSyntax syntax)
    {
        switch (syntax)
        {
            case LiteralSyntax literal:
                return Literal(literal);
            case PathSyntax path:
                return Path(path);
            case UnarySyntax { Op: UnaryOp.Not } not:
                return new BoundNot(Condition(not.Operand));
            case UnarySyntax negate:
                Bound operand = Value(negate.Operand);
                if (!operand.Type.IsNumeric)
                {
                    throw FilterErrors.Create(negate.Position, $"No matching signature for operator - for argument type {operand.Type}; expected INT64 or DOUBLE.");
                }

                return new BoundNegate(operand);
            case BinarySyntax { Op: BinaryOp.And or BinaryOp.Or } logical:
                bool isAnd = logical.Op == BinaryOp.And;
                var operands = new List<Bound>();
                Flatten(Condition(logical.Left), isAnd, operands);
                Flatten(Condition(logical.Right), isAnd, operands);
                return new BoundLogical(isAnd, operands);
            case BinarySyntax binary when binary.Op.IsComparison():
                return Compare(binary);
            case BinarySyntax arithmetic:
                return Arithmetic(arithmetic);
            case InSyntax @in:
                return In(@in);
            case LikeSyntax like:
                return Like(like);
            case IsNullSyntax isNull:
                return new BoundIsNull(Value(isNull.Operand), isNull.Negated);
            default:
                throw new ArgumentOutOfRangeException(nameof(syntax));
        }
    }

    private static void Flatten(Bound bound, bool isAnd, List<Bound> into)
    {
        if (bound is BoundLogical logical && logical.IsAnd == isAnd)
        {
            into.AddRange(logical.Operands);
        }
        else
        {
            into.Add(bound);
        }
    }

    private static BoundLiteral Literal(LiteralSyntax literal) => RequireNoNul(literal).Kind switch
    {
        LiteralKind.Int => new BoundLiteral(literal.Value, FilterType.Int),
        LiteralKind.Double => new BoundLiteral(literal.Value, FilterType.Double),
        LiteralKind.String => new BoundLiteral(literal.Value, FilterType.String),
        _ => new BoundLiteral(literal.Value, FilterType.Bool),
    };

    private Bound Compare(BinarySyntax binary)
    {
        (Bound left, Bound right) = EnumPair(binary.Left, binary.Right, binary.Op.Symbol(), binary.Position);
        FilterType l = left.Type;
        FilterType r = right.Type;
        if (l.Kind == FilterValueKind.Enum || r.Kind == FilterValueKind.Enum)
        {
            if (binary.Op is not (BinaryOp.Equal or BinaryOp.NotEqual))
            {
                throw FilterErrors.Create(binary.Position, $"No matching signature for operator {binary.Op.Symbol()} for enum values; expected =, !=, IN or NOT IN.");
            }

            if (l != r)
            {
                throw FilterErrors.Create(binary.Position, $"No matching signature for operator {binary.Op.Symbol()} for argument types {l} and {r}.");
            }

            var compare = new BoundCompare(binary.Op, left, right);

            // MLMD: an enum != literal also matches a node whose state is NULL.
            if (binary.Op == BinaryOp.NotEqual && (left is BoundLiteral || right is BoundLiteral))
            {
                Bound column = left is BoundLiteral ? right : left;
                return new BoundLogical(false, [compare, new BoundIsNull(column, false)]);
            }

            return compare;
        }

        if (!Comparable(l, r))
        {
            throw FilterErrors.Create(binary.Position, $"No matching signature for operator {binary.Op.Symbol()} for argument types {l} and {r}.");
        }

        return new BoundCompare(binary.Op, left, right);
    }

    private static bool Comparable(FilterType l, FilterType r) =>
        (l.IsNumeric && r.IsNumeric) || (l.Kind == r.Kind && l.Kind != FilterValueKind.Enum);

    /// <summary>Resolves two operands; a bare name facing an enum field is read as a value of that enum.</summary>
    private (Bound Left, Bound Right) EnumPair(FilterSyntax leftSyntax, FilterSyntax rightSyntax, string op, int position)
    {
        if (IsEnumCandidate(leftSyntax) && !IsEnumCandidate(rightSyntax))
        {
            Bound right = Value(rightSyntax);
            return (EnumOperand(leftSyntax, right.Type, op, position), right);
        }

        Bound left = Value(leftSyntax);
        return (left, EnumOperand(rightSyntax, left.Type, op, position));
    }

    private bool IsEnumCandidate(FilterSyntax syntax) => syntax is PathSyntax { IsSingle: true } path && !IsField(path.Segments[0]);

    private Bound EnumOperand(FilterSyntax syntax, FilterType other, string op, int position)
    {
        if (other.Kind != FilterValueKind.Enum)
        {
            return Value(syntax);
        }

        if (syntax is PathSyntax { IsSingle: true } path && !IsField(path.Segments[0]))
        {
            int? value = FilterEnums.Parse(other.Domain, path.Segments[0]);
            if (value is null)
            {
                throw UnsupportedEnum(other.Domain, path.Segments[0], path.Position);
            }

            return new BoundLiteral((long)value.Value, other);
        }

        if (syntax is LiteralSyntax literal)
        {
            throw UnsupportedEnum(other.Domain, literal.Kind == LiteralKind.String ? "'" + (string)literal.Value + "'" : Convert.ToString(literal.Value, CultureInfo.InvariantCulture)!, literal.Position);
        }

        Bound bound = Value(syntax);
        if (bound.Type != other)
        {
            throw FilterErrors.Create(position, $"No matching signature for operator {op} for argument types {other} and {bound.Type}.");
        }

        return bound;
    }

    private static MetadataStoreException UnsupportedEnum(FilterEnumDomain domain, string given, int position) =>
        FilterErrors.Create(position, $"Unsupported enum value specified: {given}; expected one of {string.Join(", ", FilterEnums.Names(domain))} (unquoted).");

    private Bound Arithmetic(BinarySyntax binary)
    {
        Bound left = Value(binary.Left);
        Bound right = Value(binary.Right);
        if (!left.Type.IsNumeric || !right.Type.IsNumeric)
        {
            throw FilterErrors.Create(binary.Position, $"No matching signature for operator {binary.Op.Symbol()} for argument types {left.Type} and {right.Type}; expected INT64 or DOUBLE.");
        }

        // As in ZetaSQL, / always yields DOUBLE.
        FilterType type = binary.Op == BinaryOp.Divide || left.Type.Kind == FilterValueKind.Double || right.Type.Kind == FilterValueKind.Double
            ? FilterType.Double
            : FilterType.Int;
        return new BoundArithmetic(binary.Op, left, right, type);
    }

    private Bound In(InSyntax syntax)
    {
        Bound operand = Value(syntax.Operand);
        var values = new List<Bound>(syntax.Values.Count);
        foreach (FilterSyntax item in syntax.Values)
        {
            Bound value = EnumOperand(item, operand.Type, "IN", item.Position);
            bool ok = operand.Type.Kind == FilterValueKind.Enum ? value.Type == operand.Type : Comparable(operand.Type, value.Type);
            if (!ok)
            {
                throw FilterErrors.Create(item.Position, $"No matching signature for operator IN for argument types {operand.Type} and {value.Type}.");
            }

            values.Add(value);
        }

        var @in = new BoundIn(operand, values, syntax.Negated);

        // MLMD: enum NOT IN also matches a node whose state is NULL.
        if (syntax.Negated && operand.Type.Kind == FilterValueKind.Enum)
        {
            return new BoundLogical(false, [@in, new BoundIsNull(operand, false)]);
        }

        return @in;
    }

    private Bound Like(LikeSyntax syntax)
    {
        Bound operand = Value(syntax.Operand);
        if (operand.Type.Kind != FilterValueKind.String)
        {
            throw FilterErrors.Create(syntax.Position, $"No matching signature for operator LIKE for argument type {operand.Type}; expected STRING.");
        }

        if (syntax.Pattern is not LiteralSyntax { Kind: LiteralKind.String } pattern)
        {
            throw FilterErrors.Create(syntax.Pattern.Position, "the pattern of LIKE must be a string literal.");
        }

        return new BoundLike(operand, (string)RequireNoNul(pattern).Value, syntax.Negated);
    }

    // Some databases (PostgreSQL) cannot hold U+0000 in text at all, so such a literal is refused on every backend alike.
    private static LiteralSyntax RequireNoNul(LiteralSyntax literal) =>
        literal.Kind == LiteralKind.String && ((string)literal.Value).Contains('\0', StringComparison.Ordinal)
            ? throw FilterErrors.Create(literal.Position, "a string literal may not contain the character U+0000 (NUL).")
            : literal;

    // ---- names ----

    private static readonly (string Name, FilterType Type)[] CommonFields =
    [
        ("id", FilterType.Int),
        ("type_id", FilterType.Int),
        ("type", FilterType.String),
        ("name", FilterType.String),
        ("external_id", FilterType.String),
        ("create_time_since_epoch", FilterType.Int),
        ("last_update_time_since_epoch", FilterType.Int),
    ];

    private static readonly (string Name, FilterType Type)[] ArtifactFields =
        [.. CommonFields, ("uri", FilterType.String), ("state", new FilterType(FilterValueKind.Enum, FilterEnumDomain.ArtifactState))];

    private static readonly (string Name, FilterType Type)[] ExecutionFields =
        [.. CommonFields, ("last_known_state", new FilterType(FilterValueKind.Enum, FilterEnumDomain.ExecutionState))];

    private static (string Name, FilterType Type)[] FieldsOf(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => ArtifactFields,
        NodeKind.Execution => ExecutionFields,
        _ => CommonFields,
    };

    private static (string Name, FilterType Type)[] EventFields(NodeKind kind) =>
    [
        ("type", new FilterType(FilterValueKind.Enum, FilterEnumDomain.EventType)),
        ("milliseconds_since_epoch", FilterType.Int),
        (kind == NodeKind.Artifact ? "execution_id" : "artifact_id", FilterType.Int),
    ];

    private (string Prefix, AliasKind Kind)[] AliasPrefixes => _kind == NodeKind.Context
        ? [("artifacts_", AliasKind.Artifacts), ("executions_", AliasKind.Executions), ("parent_contexts_", AliasKind.ParentContexts), ("child_contexts_", AliasKind.ChildContexts)]
        : [("contexts_", AliasKind.Contexts), ("events_", AliasKind.Events)];

    private (string Name, FilterType Type)[] AliasFields(AliasKind kind) => kind switch
    {
        AliasKind.Artifacts => ArtifactFields,
        AliasKind.Executions => ExecutionFields,
        AliasKind.Events => EventFields(_kind),
        _ => CommonFields,
    };

    private bool IsField(string name) => Array.Exists(FieldsOf(_kind), f => f.Name == name);

    private static string KindName(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => "artifacts",
        NodeKind.Execution => "executions",
        _ => "contexts",
    };

    private string AvailableNames()
    {
        IEnumerable<string> names = FieldsOf(_kind).Select(f => f.Name)
            .Concat(["properties.NAME.VALUE", "custom_properties.NAME.VALUE"])
            .Concat(AliasPrefixes.Select(p => p.Prefix + "ALIAS.FIELD"));
        return string.Join(", ", names);
    }

    private Bound Path(PathSyntax path)
    {
        IReadOnlyList<string> s = path.Segments;
        string head = s[0];
        if (s.Count == 1)
        {
            foreach ((string name, FilterType type) in FieldsOf(_kind))
            {
                if (name == head)
                {
                    return name == "type" ? new BoundTypeName(null) : new BoundColumn(null, name, type);
                }
            }

            throw Unrecognized(path);
        }

        if (head is "properties" or "custom_properties")
        {
            if (s.Count != 3)
            {
                throw FilterErrors.Create(path.Position, $"Unrecognized name: {path.Text}; a property is read as {head}.NAME.VALUE with VALUE one of int_value, double_value, string_value, bool_value (back-quote names with other characters than letters, digits and _).");
            }

            string column = s[2];
            FilterType? type = column switch
            {
                "int_value" => FilterType.Int,
                "double_value" => FilterType.Double,
                "string_value" => FilterType.String,
                "bool_value" => FilterType.Bool,
                _ => null,
            };
            if (type is null)
            {
                throw FilterErrors.Create(path.Position, $"Field name {column} does not exist in {head}.{s[1]}; expected one of {string.Join(", ", ValueColumns)}.");
            }

            if (s[1].Contains('\0', StringComparison.Ordinal))
            {
                throw FilterErrors.Create(path.Position, "a property name may not contain the character U+0000 (NUL).");
            }

            return new BoundProperty(head == "custom_properties", s[1], column, type.Value);
        }

        foreach ((string prefix, AliasKind kind) in AliasPrefixes)
        {
            if (head.Length > prefix.Length && head.StartsWith(prefix, StringComparison.Ordinal) && IsPlainName(head.AsSpan(prefix.Length)))
            {
                (string Name, FilterType Type)[] fields = AliasFields(kind);
                string list = string.Join(", ", fields.Select(f => f.Name));
                if (s.Count != 2)
                {
                    throw FilterErrors.Create(path.Position, $"Unrecognized name: {path.Text}; expected {head}.FIELD with FIELD one of {list}.");
                }

                foreach ((string name, FilterType type) in fields)
                {
                    if (name == s[1])
                    {
                        FilterAlias alias = AliasFor(head, kind, path.Position);
                        return name == "type" && kind != AliasKind.Events ? new BoundTypeName(alias) : new BoundColumn(alias, name, type);
                    }
                }

                throw FilterErrors.Create(path.Position, $"Field name {s[1]} does not exist in {head}; fields: {list}.");
            }
        }

        throw Unrecognized(path);
    }

    private static bool IsPlainName(ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private FilterAlias AliasFor(string name, AliasKind kind, int position)
    {
        if (!_aliases.TryGetValue(name, out FilterAlias? alias))
        {
            if (_aliases.Count == MaxAliases)
            {
                throw FilterErrors.Create(position, string.Create(CultureInfo.InvariantCulture, $"a query may use at most {MaxAliases} distinct neighbourhood aliases; {name} is one too many."));
            }

            alias = new FilterAlias(name, kind, _aliases.Count);
            _aliases.Add(name, alias);
        }

        return alias;
    }

    private MetadataStoreException Unrecognized(PathSyntax path) =>
        FilterErrors.Create(path.Position, $"Unrecognized name: {path.Text}; the fields of {KindName(_kind)} are {AvailableNames()}.");
}
