using FluentAssertions;
using MetadataStore.Semantics;
using MetadataStore.Storage;
using MetadataStore.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace MetadataStore.Tests.Storage;

public sealed class SqliteBackendTest : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly SqliteBackend _backend = new(
        $"Data Source=backend-test-{Guid.NewGuid():N};Mode=Memory;Cache=Shared", NullLogger.Instance);

    public async Task InitializeAsync() => await _backend.OpenAsync(SchemaMode.CreateOrVerify, None);

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.1234567)]
    [InlineData(-123456789.98765432)]
    [InlineData(double.MaxValue)]
    public async Task GetPropertiesAsync_returns_exact_double_when_written(double number)
    {
        var (_, artifactId) = await AddArtifactAsync("a");
        await _backend.WriteAsync(async tx =>
        {
            await tx.InsertPropertyAsync(NodeKind.Artifact, new PropertyRecord(artifactId, "d", false, PropertyCodec.ToStored(PropertyValue.FromDouble(number))), None);
            return 0;
        });

        var read = await _backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [artifactId], None));

        read.Single().Value.Double.Should().Be(number);
    }

    [Fact]
    public async Task GetPropertiesAsync_round_trips_every_kind_when_written()
    {
        var (_, id) = await AddArtifactAsync("a");
        PropertyRecord[] written =
        [
            new(id, "i", false, PropertyCodec.ToStored(PropertyValue.FromInt(long.MinValue))),
            new(id, "s", false, PropertyCodec.ToStored(PropertyValue.FromString("text"))),
            new(id, "b", true, PropertyCodec.ToStored(PropertyValue.FromBoolean(true))),
            new(id, "st", false, PropertyCodec.ToStored(PropertyValue.FromStructJson("""{"k":[1,"v",{"z":null}]}"""))),
            new(id, "p", true, PropertyCodec.ToStored(PropertyValue.FromProto("type.googleapis.com/a.B", [1, 2, 3]))),
        ];
        await _backend.WriteAsync(async tx =>
        {
            foreach (var property in written)
            {
                await tx.InsertPropertyAsync(NodeKind.Artifact, property, None);
            }

            return 0;
        });

        var read = await _backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [id], None));

        read.Select(Decoded).Should().BeEquivalentTo(written.Select(Decoded));
    }

    [Fact]
    public async Task UpdatePropertyAsync_clears_other_columns_when_kind_changes()
    {
        var (_, id) = await AddArtifactAsync("a");
        await _backend.WriteAsync(async tx =>
        {
            await tx.InsertPropertyAsync(NodeKind.Artifact, new PropertyRecord(id, "x", true, PropertyCodec.ToStored(PropertyValue.FromInt(5))), None);
            await tx.UpdatePropertyAsync(NodeKind.Artifact, new PropertyRecord(id, "x", true, PropertyCodec.ToStored(PropertyValue.FromString("five"))), None);
            return 0;
        });

        (await _backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [id], None)))
            .Single().Value.Should().Be(new StoredValue(String: "five"));

        await _backend.WriteAsync(async tx =>
        {
            await tx.DeletePropertyAsync(NodeKind.Artifact, id, "x", true, None);
            return 0;
        });
        (await _backend.ReadAsync(tx => tx.GetPropertiesAsync(NodeKind.Artifact, [id], None))).Should().BeEmpty();
    }

    [Fact]
    public async Task InsertNodeAsync_throws_AlreadyExists_naming_columns_when_type_and_name_taken()
    {
        var (typeId, _) = await AddArtifactAsync("dup");

        var act = () => _backend.WriteAsync(tx => tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Name = "dup", Uri = "" }, None));

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
        error.Message.Should().Contain("Artifact.type_id, Artifact.name");
    }

    [Fact]
    public async Task InsertEventAsync_throws_AlreadyExists_when_same_artifact_execution_and_type()
    {
        var (_, artifactId) = await AddArtifactAsync("a");
        var executionId = await AddExecutionAsync();
        var record = new EventRecord { ArtifactId = artifactId, ExecutionId = executionId, Type = 3, Time = 5, Path = [EventStep.ForKey("k"), EventStep.ForIndex(2)] };
        await _backend.WriteAsync(tx => tx.InsertEventAsync(record, None));

        var act = () => _backend.WriteAsync(tx => tx.InsertEventAsync(record, None));

        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
        var events = await _backend.ReadAsync(tx => tx.GetEventsAsync(true, [artifactId], None));
        events.Single().Path.Should().Equal(EventStep.ForKey("k"), EventStep.ForIndex(2));
    }

    [Fact]
    public async Task InsertParentContextAsync_throws_AlreadyExists_when_link_stored_and_attribution_is_idempotent()
    {
        var (_, artifactId) = await AddArtifactAsync("a");
        await _backend.WriteAsync(async tx =>
        {
            await tx.InsertParentContextAsync(2, 1, None);
            await tx.InsertAttributionAsync(1, artifactId, None);
            await tx.InsertAttributionAsync(1, artifactId, None);
            return 0;
        });

        var act = () => _backend.WriteAsync(async tx =>
        {
            await tx.InsertParentContextAsync(2, 1, None);
            return 0;
        });

        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
        (await _backend.ReadAsync(tx => tx.GetContextIdsAsync(NodeKind.Artifact, artifactId, None))).Should().Equal(1L);
    }

    [Fact]
    public async Task ExecuteAsync_rolls_back_when_work_throws()
    {
        var typeId = await AddTypeAsync("T");
        var act = () => _backend.WriteAsync<long>(async tx =>
        {
            await tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Name = "gone", Uri = "" }, None);
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "refused");
        });

        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        (await _backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByTypeAndName(typeId, "gone"), None))).Should().BeEmpty();
    }

    [Fact]
    public async Task InsertTypeAsync_stores_properties_and_base_type_and_refuses_duplicate()
    {
        var record = new TypeRecord
        {
            Name = "Model", Kind = TypeKind.Artifact, Version = "2", ExternalId = "t-ext",
            Properties = new Dictionary<string, PropertyKind> { ["acc"] = PropertyKind.Double }, BaseTypeName = "mlmd.Model",
        };
        var id = await _backend.WriteAsync(tx => tx.InsertTypeAsync(record, None));
        await _backend.WriteAsync(async tx =>
        {
            await tx.UpdateTypeAsync(new TypeRecord { Id = id, Name = "Model", Kind = TypeKind.Artifact, ExternalId = "t-ext-2" }, [new("n", PropertyKind.Int)], false, None);
            return 0;
        });

        var read = (await _backend.ReadAsync(tx => tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByIds([id]), None))).Single();

        read.BaseTypeName.Should().Be("mlmd.Model");
        read.ExternalId.Should().Be("t-ext-2");
        read.Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyKind> { ["acc"] = PropertyKind.Double, ["n"] = PropertyKind.Int });
        var duplicate = () => _backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = "Model", Kind = TypeKind.Artifact, Version = "2" }, None));
        (await duplicate.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.AlreadyExists);
    }

    [Fact]
    public async Task GetNodesAsync_returns_all_in_id_order_when_ids_exceed_one_chunk()
    {
        var typeId = await AddTypeAsync("Many");
        var ids = await _backend.WriteAsync(async tx =>
        {
            var list = new List<long>();
            for (var i = 0; i < 600; i++)
            {
                list.Add(await tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Uri = "u" + i }, None));
            }

            return list;
        });

        var wanted = ids.AsEnumerable().Reverse().Concat(ids.Take(10)).Append(999_999).ToList();
        var read = await _backend.ReadAsync(tx => tx.GetNodesAsync(NodeKind.Artifact, new NodeQuery.ByIds(wanted), None));

        read.Select(n => n.Id).Should().Equal(ids);
        read.Should().OnlyContain(n => n.TypeName == "Many");
        (await _backend.ReadAsync(tx => tx.GetExistingIdsAsync(NodeKind.Artifact, wanted, None))).Should().BeEquivalentTo(ids);
    }

    [Theory]
    [InlineData(NodeOrder.Id, false)]
    [InlineData(NodeOrder.Id, true)]
    [InlineData(NodeOrder.CreateTime, false)]
    [InlineData(NodeOrder.CreateTime, true)]
    [InlineData(NodeOrder.LastUpdateTime, false)]
    [InlineData(NodeOrder.LastUpdateTime, true)]
    public async Task ListNodesAsync_pages_through_every_row_in_order_when_values_tie(NodeOrder orderBy, bool descending)
    {
        var typeId = await AddTypeAsync("Paged");
        var otherTypeId = await AddTypeAsync("Other");
        var nodes = await _backend.WriteAsync(async tx =>
        {
            var list = new List<NodeRecord>();
            for (var i = 0; i < 23; i++)
            {
                // Times tie in threes and run against id order, so the tie-break on id matters.
                var node = new NodeRecord { TypeId = typeId, Uri = "", CreateTime = 100 - (i / 3), LastUpdateTime = 50 + (i % 4) };
                node = node with { Id = await tx.InsertNodeAsync(NodeKind.Artifact, node, None) };
                list.Add(node);
                await tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = otherTypeId, Uri = "" }, None);
            }

            return list;
        });
        Func<NodeRecord, long> key = orderBy switch
        {
            NodeOrder.CreateTime => n => n.CreateTime,
            NodeOrder.LastUpdateTime => n => n.LastUpdateTime,
            _ => n => n.Id,
        };
        var expected = (descending
            ? nodes.OrderByDescending(key).ThenByDescending(n => n.Id)
            : nodes.OrderBy(key).ThenBy(n => n.Id)).Select(n => n.Id).ToList();

        var seen = new List<long>();
        PageCursor? after = null;
        while (true)
        {
            var query = new NodeListQuery { Kind = NodeKind.Artifact, TypeId = typeId, OrderBy = orderBy, Descending = descending, Limit = 5, After = after };
            var page = await _backend.ReadAsync(tx => tx.ListNodesAsync(query, None));
            seen.AddRange(page.Select(n => n.Id));
            if (page.Count < 5)
            {
                break;
            }

            after = new PageCursor(key(page[^1]), page[^1].Id);
        }

        seen.Should().Equal(expected);
    }

    [Fact]
    public async Task ListNodesAsync_returns_only_context_members_when_context_given()
    {
        var typeId = await AddTypeAsync("Scoped");
        var ids = await _backend.WriteAsync(async tx =>
        {
            var list = new List<long>();
            for (var i = 0; i < 6; i++)
            {
                var id = await tx.InsertNodeAsync(NodeKind.Execution, new NodeRecord { TypeId = typeId, Name = "e" + i }, None);
                list.Add(id);
                if (i % 2 == 0)
                {
                    await tx.InsertAssociationAsync(7, id, None);
                }
            }

            return list;
        });

        var query = new NodeListQuery { Kind = NodeKind.Execution, ContextId = 7, Descending = true, Limit = 10 };
        var page = await _backend.ReadAsync(tx => tx.ListNodesAsync(query, None));

        page.Select(n => n.Id).Should().Equal(ids[4], ids[2], ids[0]);
        page.Should().OnlyContain(n => n.TypeName == "Scoped");
    }

    [Fact]
    public async Task ExecuteAsync_throws_Aborted_when_another_writer_holds_the_file()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        using var holder = db.OpenRaw();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        await using var backend = db.CreateBackend("Default Timeout=1");
        await backend.OpenAsync(SchemaMode.VerifyOnly, None);
        backend.MaxAttempts = 2;

        var act = () => backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = "Blocked", Kind = TypeKind.Context }, None));

        var error = (await act.Should().ThrowAsync<MetadataStoreException>()).Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.Aborted);
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("concurrent writers");
    }

    [Fact]
    public async Task ExecuteAsync_commits_every_write_when_several_connections_write_one_file()
    {
        using var db = new SqliteTestDatabase();
        (await db.OpenBackendAsync()).Dispose();
        var backends = new List<SqliteBackend>();
        for (var i = 0; i < 3; i++)
        {
            backends.Add(await db.OpenBackendAsync());
        }

        try
        {
            await Task.WhenAll(backends.Select((backend, b) => Task.Run(async () =>
            {
                for (var i = 0; i < 15; i++)
                {
                    await backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = $"T{b}-{i}", Kind = TypeKind.Context }, None));
                }
            })));
        }
        finally
        {
            backends.ForEach(b => b.Dispose());
        }

        db.Query("SELECT count(*) FROM Type WHERE type_kind = 2")[0][0].Should().Be(45L);
    }

    [Fact]
    public async Task ExecuteAsync_throws_OperationCanceled_when_token_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await _backend.ExecuteAsync(true, (tx, ct) => tx.InsertTypeAsync(new TypeRecord { Name = "X", Kind = TypeKind.Context }, ct), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private async Task<long> AddTypeAsync(string name) =>
        await _backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = name, Kind = TypeKind.Artifact }, None));

    private async Task<(long TypeId, long ArtifactId)> AddArtifactAsync(string name)
    {
        var typeId = await _backend.WriteAsync(async tx =>
        {
            var existing = await tx.GetTypesAsync(TypeKind.Artifact, new TypeQuery.ByName("A", null), None);
            return existing.Count > 0 ? existing[0].Id : await tx.InsertTypeAsync(new TypeRecord { Name = "A", Kind = TypeKind.Artifact }, None);
        });
        var id = await _backend.WriteAsync(tx => tx.InsertNodeAsync(NodeKind.Artifact, new NodeRecord { TypeId = typeId, Name = name, Uri = "" }, None));
        return (typeId, id);
    }

    private async Task<long> AddExecutionAsync()
    {
        var typeId = await _backend.WriteAsync(tx => tx.InsertTypeAsync(new TypeRecord { Name = "E", Kind = TypeKind.Execution }, None));
        return await _backend.WriteAsync(tx => tx.InsertNodeAsync(NodeKind.Execution, new NodeRecord { TypeId = typeId, State = 3 }, None));
    }

    private static (long NodeId, string Name, bool IsCustom, PropertyValue Value) Decoded(PropertyRecord p) =>
        (p.NodeId, p.Name, p.IsCustom, PropertyCodec.FromStored(p.Value, p.Name, NodeKind.Artifact, p.NodeId));
}
