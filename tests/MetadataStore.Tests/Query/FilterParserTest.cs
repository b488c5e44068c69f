using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using MetadataStore.Storage.Sqlite;
using Xunit;

namespace MetadataStore.Tests.Query;

/// <summary>Parser and resolver checks that need no store.</summary>
public sealed class FilterParserTest
{
    /// <summary>MLMD-REFERENCE 3.5 invalid examples, with the part of our message that says what is wrong.</summary>
    public static TheoryData<string, string, string> InvalidExamples => new()
    {
        { "artifact", "", "Syntax error: the query is empty" },
        { "artifact", "a == 'a'", "Syntax error: expected a field, a literal or '('" },
        { "artifact", "a", "Unrecognized name: a; the fields of artifacts are id, type_id, type, name, external_id, create_time_since_epoch, last_update_time_since_epoch, uri, state" },
        { "artifact", "a = 'a'", "Unrecognized name: a" },
        { "artifact", "'a'", "not a valid boolean expression (its type is STRING)" },
        { "artifact", "type_id", "not a valid boolean expression (its type is INT64)" },
        { "artifact", "id = 'a'", "No matching signature for operator = for argument types INT64 and STRING" },
        { "artifact", "type = 1", "No matching signature for operator = for argument types STRING and INT64" },
        { "artifact", "name = 1", "No matching signature for operator =" },
        { "artifact", "uri = 1", "No matching signature for operator =" },
        { "execution", "uri = 1", "Unrecognized name: uri; the fields of executions are" },
        { "artifact", "contexts_0.foo = 1", "Field name foo does not exist in contexts_0; fields: id, type_id, type, name" },
        { "artifact", "properties.foo = 1", "Unrecognized name: properties.foo; a property is read as properties.NAME.VALUE" },
        { "artifact", "properties.baz.int = 1", "Field name int does not exist in properties.baz; expected one of int_value, double_value, string_value, bool_value" },
        { "artifact", "properties.0:b.int_value = 1", "Syntax error: unexpected character ':'" },
        { "artifact", "state = 1", "Unsupported enum value specified: 1; expected one of UNKNOWN, PENDING, LIVE" },
        { "artifact", "state = 'LIVE'", "Unsupported enum value specified: 'LIVE'" },
        { "artifact", "state = RUNNING", "Unsupported enum value specified: RUNNING" },
        { "execution", "last_known_state = LIVE", "Unsupported enum value specified: LIVE; expected one of UNKNOWN, NEW, RUNNING" },
        { "artifact", "events_0.type = SOME_ENUM", "Unsupported enum value specified: SOME_ENUM" },
        { "artifact", "state IN RUNNING", "Syntax error: expected a list of values enclosed in parentheses after IN" },
        { "execution", "last_known_state IN ()", "Syntax error: expected a field, a literal or '('" },
        { "artifact", "events_0.artifact_id = 1", "Field name artifact_id does not exist in events_0; fields: type, milliseconds_since_epoch, execution_id" },
        { "context", "events_0.type = INPUT", "Unrecognized name: events_0.type; the fields of contexts are" },
        { "artifact", "artifacts_0.id = 1", "Unrecognized name: artifacts_0.id" },
        { "artifact", "invalid syntax", "Syntax error: expected AND, OR or the end of the query, found \"syntax\"" },
        { "execution", "name = 'exe_name_with_''", "Syntax error: unclosed string literal" },
        { "artifact", "state < LIVE", "No matching signature for operator < for enum values" },
        { "artifact", "name LIKE 1", "the pattern of LIKE must be a string literal" },
        { "artifact", "id LIKE '1%'", "No matching signature for operator LIKE for argument type INT64" },
        { "artifact", "id = 1 = 1", "comparisons cannot be chained" },
        { "artifact", "(id = 1) = true", "conditions cannot be compared" },
        { "artifact", "id = 99999999999999999999", "out of range" },
        { "artifact", "name + 1 > 0", "No matching signature for operator + for argument types STRING and INT64" },
        { "artifact", "(id = 1", "Syntax error: expected ')', found the end of the query" },
        { "artifact", "id = 1 AND", "Syntax error: expected a field, a literal or '('" },
        { "artifact", "name = 'a\\q'", "unknown escape sequence" },
        { "artifact", "properties.``.int_value = 1", "a back-quoted name cannot be empty" },
        { "artifact", "name IS 'a'", "expected NULL or NOT NULL after IS" },
        { "artifact", "contexts_a = 1", "Unrecognized name: contexts_a" },
        { "artifact", "name = 'x'; DROP TABLE Artifact", "unexpected character ';'" },
        { "artifact", "name = 'x' -- comment", "Unrecognized name: comment" },
        { "artifact", "name = 'x' /* c */", "expected a field, a literal or '('" },
        { "artifact", "name = 'x' UNION SELECT 1", "Syntax error: expected AND, OR or the end of the query, found \"UNION\"" },
    };

    [Theory]
    [MemberData(nameof(InvalidExamples))]
    public void Compile_throws_invalid_argument_when_query_is_invalid(string kind, string filter, string message)
    {
        var act = () => FilterQuery.Compile(filter, Kinds.Parse(kind));
        act.Should().Throw<MetadataStoreException>()
            .Where(e => e.ErrorCode == MetadataErrorCode.InvalidArgument)
            .WithMessage("*" + message + "*");
    }

    [Theory]
    [InlineData("a == 'a'", 4)]
    [InlineData("id = 1 AND foo = 2", 12)]
    [InlineData("properties.x.bad = 1", 1)]
    [InlineData("name = 'unclosed", 8)]
    public void Compile_names_position_when_query_is_invalid(string filter, int position)
    {
        var act = () => FilterQuery.Compile(filter, NodeKind.Artifact);
        act.Should().Throw<MetadataStoreException>().WithMessage($"Invalid filter query at position {position}: *");
    }

    [Theory]
    [InlineData("id = 1 and NAME like 'x' or not uri is null", "(((id = 1) AND (NAME LIKE 'x')) OR (NOT (uri IS NULL)))")]
    [InlineData("properties.`my p`.int_value>-5", "(properties.`my p`.int_value > -5)")]
    [InlineData("id = -9223372036854775808", "(id = -9223372036854775808)")]
    [InlineData("x.y = \"it's\" AND z != 'a\\\\b\\n'", "((x.y = 'it\\'s') AND (z != 'a\\\\b\\n'))")]
    [InlineData("a - - 1.5e3 * 2 / .5", "(a - ((- 1500.0) * 2 / 0.5))")]
    [InlineData("state NOT IN (LIVE, PENDING) AND name NOT LIKE 'x%'", "((state NOT IN (LIVE, PENDING)) AND (name NOT LIKE 'x%'))")]
    [InlineData("`and`.x = TRUE", "(`and`.x = TRUE)")]
    [InlineData("id <> 1", "(id != 1)")]
    [InlineData("a AND b AND (c AND d) OR e OR f", "((a AND b AND (c AND d)) OR e OR f)")]
    [InlineData("1 - 2 + 3 * 4 / 5 - (6 - 7) = x", "((1 - 2 + (3 * 4 / 5) - (6 - 7)) = x)")]
    public void Print_gives_canonical_text_that_parses_to_the_same_text(string filter, string canonical)
    {
        string printed = FilterPrinter.Print(FilterParser.Parse(filter));
        printed.Should().Be(canonical);
        FilterPrinter.Print(FilterParser.Parse(printed)).Should().Be(canonical);
    }

    [Fact]
    public void Parse_throws_invalid_argument_when_nesting_is_too_deep()
    {
        string deep = new string('(', 5_000) + "id = 1" + new string(')', 5_000);
        var act = () => FilterParser.Parse(deep);
        act.Should().Throw<MetadataStoreException>().WithMessage("*nests deeper than*");
        var nots = () => FilterParser.Parse(string.Concat(Enumerable.Repeat("NOT ", 3_000)) + "id = 1");
        nots.Should().Throw<MetadataStoreException>().WithMessage("*nests deeper than*");
    }

    [Fact]
    public void Compile_lists_alias_limit_when_too_many_aliases()
    {
        string filter = string.Join(" AND ", Enumerable.Range(0, FilterResolver.MaxAliases + 1).Select(i => $"contexts_{i}.id = {i}"));
        var act = () => FilterQuery.Compile(filter, NodeKind.Artifact);
        act.Should().Throw<MetadataStoreException>().WithMessage("*at most 8 distinct neighbourhood aliases*");
    }

    [Fact]
    public void ToSql_binds_every_literal_as_parameter()
    {
        FilterSql sql = FilterQuery.Compile("name = \"x' OR 1=1 --\" OR uri LIKE \"%'; DROP TABLE Artifact; --\" OR id IN (1, 2) OR properties.p.double_value > 0.5", NodeKind.Artifact)
            .ToSql();
        sql.Condition.Should().NotContain("'").And.NotContain("DROP").And.NotContain("0.5").And.NotContain("1, 2");
        sql.Parameters.Select(p => p.Value).Should().Contain("x' OR 1=1 --").And.Contain(0.5).And.Contain(1L);
    }
}

/// <summary>What differs per dialect stays in the dialect.</summary>
public sealed class FilterDialectTest
{
    [Fact]
    public void ToSql_renders_like_and_division_through_the_dialect()
    {
        FilterQuery query = FilterQuery.Compile("name LIKE 'a*%_[' AND id / 2 > 1 AND properties.b.bool_value = true", NodeKind.Artifact);

        FilterSql sqlite = query.ToSql();
        sqlite.Condition.Should().Contain("n.name GLOB $").And.Contain("CAST(n.id AS REAL) /");
        sqlite.Parameters.Select(p => p.Value).Should().Contain("a[*]*?[[]").And.Contain(1L);
    }
}

internal static class FilterSqlTestExtensions
{
    private static readonly SqliteDialect Sqlite = new(null);

    /// <summary>Renders the filter in SQLite's dialect, values numbered from <c>$1</c>.</summary>
    public static FilterSql ToSql(this FilterQuery query) => FilterSqlGenerator.Generate(query, Sqlite);
}
