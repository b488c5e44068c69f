using System.Data.Common;
using FluentAssertions;
using MetadataStore.Query;
using MetadataStore.Storage;
using MetadataStore.Storage.Relational;
using MetadataStore.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// The relational engine writes its SQL through the dialect alone: a dialect that spells things as PostgreSQL does
/// gets none of SQLite's text. And what storage reports is raw: constraint facts naming the table, every type.
/// </summary>
public sealed class RelationalEngineTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void Catalogue_uses_dialect_spelling_when_dialect_is_not_sqlite()
    {
        var dialect = new StandardDialect();
        var catalog = dialect.Catalog;
        string[] statements =
        [
            catalog.Types.SelectAll, catalog.Types.Insert, catalog.Types.InsertBaseType, catalog.Node(NodeKind.Artifact).Insert,
            catalog.Node(NodeKind.Execution).Update, catalog.Node(NodeKind.Context).UpdateProperty, catalog.Events.Insert,
            catalog.Events.SelectPathsByArtifact, catalog.Edges.InsertAttribution, catalog.Lineage.AddContexts,
            catalog.Lineage.SelectEvents("$1", [1, 2], [3], checkOtherEnd: true), catalog.Lineage.SelectNodes(NodeKind.Artifact),
        ];

        foreach (var sql in statements)
        {
            sql.Should().NotContainAny("rowid", "CROSS JOIN", "GLOB", "temp.").And.Contain("s.\"");
        }

        catalog.Types.Insert.Should().EndWith("RETURNING \"id\"");
        catalog.Edges.InsertAttribution.Should().EndWith("ON CONFLICT (\"context_id\", \"artifact_id\") DO NOTHING");
        catalog.Events.SelectPathsByArtifact.Should().EndWith("ORDER BY p.ctid");
    }

    [Fact]
    public void Filter_and_pager_render_through_dialect_when_dialect_is_not_sqlite()
    {
        var dialect = new StandardDialect();
        var filter = FilterQuery.Compile("properties.p.bool_value = true AND custom_properties.q.int_value = 3 AND name LIKE 'a%' AND id / 2 > 1", NodeKind.Artifact);
        var query = new NodeListQuery { Kind = NodeKind.Artifact, ContextId = 5, Limit = 11, After = new PageCursor(0, 9), Filter = filter };

        var builder = KeysetPager.Build(dialect, query, resolveTypes: null);
        var sql = builder.Build();

        sql.Should().Contain("is_custom_property = FALSE").And.Contain("is_custom_property = TRUE")
            .And.Contain("LIKE $").And.Contain("ESCAPE ''").And.Contain("NULLIF(").And.Contain("s.\"Attribution\" AS m JOIN")
            .And.NotContainAny("GLOB", "CROSS JOIN", "REAL");
        builder.Values.Should().Contain(true).And.Contain("a%").And.Contain(5L).And.Contain(9L).And.Contain(11L);
        for (var i = 1; i <= builder.Values.Count; i++)
        {
            sql.Should().Contain("$" + i);
        }
    }

    [Fact]
    public async Task InsertEventAsync_throws_constraint_fact_naming_table_when_event_repeated()
    {
        await using var backend = await OpenAsync();
        var (artifactId, executionId) = await backend.WriteAsync(async tx =>
        {
            var artifactType = await tx.InsertTypeAsync(new TypeRecord { Name = "A", Kind = TypeKind.Artifact }, None);
            var executionType = await tx.InsertTypeAsync(new TypeRecord { Name = "E", Kind = TypeKind.Execution }, None);
            var artifact = await tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = artifactType, Uri = "" }, None);
            var execution = await tx.InsertNodeAsync(NodeKind.Execution, new NodeRecord { TypeId = executionType }, None);
            await tx.InsertEventAsync(new EventRecord { ArtifactId = artifact, ExecutionId = execution, Type = (int)EventType.Input }, None);
            return (artifact, execution);
        });

        var act = () => backend.WriteAsync(async tx =>
        {
            await tx.InsertEventAsync(new EventRecord { ArtifactId = artifactId, ExecutionId = executionId, Type = (int)EventType.Input }, None);
            return true;
        });

        var error = (await act.Should().ThrowAsync<StorageConstraintException>()).Which;
        error.Table.Should().Be("Event");
        error.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
        error.InnerException.Should().BeAssignableTo<DbException>();
    }

    [Fact]
    public async Task GetTypesAsync_returns_system_types_when_all_listed()
    {
        await using var backend = await OpenAsync();

        var types = await backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Execution, new TypeQuery.All(), None));

        types.Select(t => t.Name).Should().Equal("mlmd.Train", "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy");
    }

    [Fact]
    public async Task ListTypesAsync_hides_system_types_when_store_lists()
    {
        await using var store = await MetadataStoreBuilder.OpenInMemoryAsync();
        await store.PutExecutionTypeAsync(new ExecutionType("Trainer"));

        var types = await store.GetExecutionTypesAsync();

        types.Select(t => t.Name).Should().Equal("Trainer");
    }

    private static async Task<SqliteBackend> OpenAsync()
    {
        var backend = new SqliteBackend($"Data Source=engine-test-{Guid.NewGuid():N};Mode=Memory;Cache=Shared", NullLogger.Instance);
        await backend.OpenAsync(SchemaMode.CreateOrVerify, None);
        return backend;
    }

    /// <summary>Standard SQL as PostgreSQL speaks it, with schema-qualified tables; only the SQL text is used.</summary>
    private sealed class StandardDialect : SqlDialect
    {
        public override string Name => "standard";

        public override IReadOnlyList<string> CreateLineageTable => ["CREATE TEMP TABLE IF NOT EXISTS \"mds_lineage\" (\"kind\" INT, \"id\" BIGINT, \"hop\" INT, \"is_end\" INT, PRIMARY KEY (\"kind\", \"id\"))"];

        public override string Table(string table) => "s." + Quote(table);

        public override string ParameterName(int ordinal) => string.Empty;

        public override object BoolValue(bool value) => value;

        public override string BoolLiteral(bool value) => value ? "TRUE" : "FALSE";

        public override string EventPathOrder(string alias) => alias + ".ctid";

        public override DbTransaction BeginTransaction(DbConnection connection, bool write) => throw new NotSupportedException();

        public override StorageError Classify(DbException exception) => new(StorageErrorKind.Internal, exception.Message);
    }
}
