using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Artifacts, executions and contexts: inserts, reads, updates, uniqueness and property validation.</summary>
public abstract class NodeConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>PutArtifacts returns ids in request order.</summary>
    [Fact]
    public async Task PutArtifacts_returns_ids_in_request_order()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var ids = await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "u0"), Artifact.Of(type.StoredId, "u1"), Artifact.Of(type.StoredId, "u2")]);

        ids.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        for (var i = 0; i < 3; i++)
        {
            (await store.GetArtifactAsync(ids[i])).Uri.Should().Be($"u{i}");
        }
    }

    /// <summary>GetArtifactsById round trips every field.</summary>
    [Fact]
    public async Task GetArtifactsById_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var artifact = (Artifact.Of(type.StoredId, Some.Uri(), Some.Name()) with { ExternalId = Some.ExternalId(), State = ArtifactState.Live })
            .With("p", 7).WithCustom("c", "x");

        var id = await store.PutArtifactAsync(artifact);
        var stored = await store.GetArtifactAsync(id);

        stored.Should().BeEquivalentTo(artifact with { Id = id, TypeName = type.Name }, o => o.ComparingRecordsByMembers().Excluding(a => a.CreateTime).Excluding(a => a.LastUpdateTime));
        stored.CreateTime.Should().NotBeNull();
        stored.LastUpdateTime.Should().NotBeNull();
        stored.LastUpdateTime.Should().BeOnOrAfter(stored.CreateTime!.Value);
    }

    /// <summary>GetExecutionsById round trips every field.</summary>
    [Fact]
    public async Task GetExecutionsById_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync(("p", PropertyKind.String));
        var execution = Execution.Of(type.StoredId, ExecutionState.Running, Some.Name()) with { ExternalId = Some.ExternalId() };
        execution = execution.With("p", "v").WithCustom("c", 1.5);

        var id = await store.PutSingleExecutionAsync(execution);
        var stored = await store.GetExecutionAsync(id);

        stored.Should().BeEquivalentTo(execution with { Id = id, TypeName = type.Name }, o => o.ComparingRecordsByMembers().Excluding(e => e.CreateTime).Excluding(e => e.LastUpdateTime));
        stored.CreateTime.Should().NotBeNull();
    }

    /// <summary>GetContextsById round trips every field.</summary>
    [Fact]
    public async Task GetContextsById_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync(("p", PropertyKind.Boolean));
        var context = Context.Of(type.StoredId, Some.Name()) with { ExternalId = Some.ExternalId() };
        context = context.With("p", true).WithCustom("c", 3);

        var id = await store.PutContextAsync(context);
        var stored = await store.GetContextAsync(id);

        stored.Should().BeEquivalentTo(context with { Id = id, TypeName = type.Name }, o => o.ComparingRecordsByMembers().Excluding(c => c.CreateTime).Excluding(c => c.LastUpdateTime));
        stored.LastUpdateTime.Should().NotBeNull();
    }

    /// <summary>GetArtifactsById skips unknown ids.</summary>
    [Fact]
    public async Task GetArtifactsById_skips_unknown_ids()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId));

        (await store.GetArtifactsByIdAsync([id, id + 1000])).Select(a => a.Id).Should().Equal(id);
        (await store.GetExecutionsByIdAsync([id])).Should().BeEmpty();
        (await store.GetContextsByIdAsync([id])).Should().BeEmpty();
    }

    /// <summary>GetNodesById return empty lists when no ids are given.</summary>
    [Fact]
    public async Task GetNodesById_return_empty_lists_when_no_ids_are_given()
    {
        await using var store = await factory.OpenEmptyAsync();

        (await store.GetArtifactsByIdAsync([])).Should().BeEmpty();
        (await store.GetExecutionsByIdAsync([])).Should().BeEmpty();
        (await store.GetContextsByIdAsync([])).Should().BeEmpty();
    }

    /// <summary>PutArtifacts stores empty uri and null state when not given.</summary>
    [Fact]
    public async Task PutArtifacts_stores_empty_uri_and_null_state_when_not_given()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId)));

        stored.Uri.Should().BeEmpty();
        stored.State.Should().BeNull();
        stored.Name.Should().BeNull();
        stored.ExternalId.Should().BeNull();
    }

    /// <summary>PutExecutions stores null state when not given.</summary>
    [Fact]
    public async Task PutExecutions_stores_null_state_when_not_given()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();

        (await store.GetExecutionAsync(await store.PutSingleExecutionAsync(Execution.Of(type.StoredId)))).LastKnownState.Should().BeNull();
    }

    /// <summary>PutArtifacts resolves type name when type id is missing.</summary>
    [Fact]
    public async Task PutArtifacts_resolves_type_name_when_type_id_is_missing()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.Name)));

        stored.TypeId.Should().Be(type.Id);
        stored.TypeName.Should().Be(type.Name);
    }

    /// <summary>PutExecutions and PutContexts resolve type name when type id is missing.</summary>
    [Fact]
    public async Task PutExecutions_and_PutContexts_resolve_type_name_when_type_id_is_missing()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();

        (await store.GetExecutionAsync(await store.PutSingleExecutionAsync(Execution.Of(executionType.Name)))).TypeId.Should().Be(executionType.Id);
        (await store.GetContextAsync(await store.PutContextAsync(Context.Of(contextType.Name, "c")))).TypeId.Should().Be(contextType.Id);
    }

    /// <summary>PutArtifacts throws NotFound when type name is unknown.</summary>
    [Fact]
    public async Task PutArtifacts_throws_NotFound_when_type_name_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();

        var act = () => store.PutArtifactsAsync([Artifact.Of(name)]);

        (await act.ShouldFailWith(MetadataErrorCode.NotFound)).Message.Should().Contain(name);
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>PutContexts throws NotFound when type name is unknown.</summary>
    [Fact]
    public async Task PutContexts_throws_NotFound_when_type_name_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutContextsAsync([Context.Of(Some.TypeName(), "c")]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>PutArtifacts throws NotFound when type id is unknown.</summary>
    [Fact]
    public async Task PutArtifacts_throws_NotFound_when_type_id_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(424_242)]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>PutExecutions throws NotFound when type id is of another kind.</summary>
    [Fact]
    public async Task PutExecutions_throws_NotFound_when_type_id_is_of_another_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();

        var act = () => store.PutExecutionsAsync([Execution.Of(artifactType.StoredId)]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>PutArtifacts throws InvalidArgument when type is missing.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_type_is_missing()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutArtifactsAsync([new Artifact { Uri = "u" }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifacts throws InvalidArgument when property is not declared by the type.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_property_is_not_declared_by_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("declared", PropertyKind.Int));

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId).With("undeclared", 1)]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("undeclared");
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>PutArtifacts throws InvalidArgument when property has the wrong kind.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_property_has_the_wrong_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("count", PropertyKind.Int));

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId).With("count", "seven")]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("count");
    }

    /// <summary>PutExecutions throws InvalidArgument when property has the wrong kind.</summary>
    [Fact]
    public async Task PutExecutions_throws_InvalidArgument_when_property_has_the_wrong_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync(("flag", PropertyKind.Boolean));

        var act = () => store.PutExecutionsAsync([Execution.Of(type.StoredId).With("flag", 1)]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutContexts throws InvalidArgument when property is not declared by the type.</summary>
    [Fact]
    public async Task PutContexts_throws_InvalidArgument_when_property_is_not_declared_by_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();

        var act = () => store.PutContextsAsync([Context.Of(type.StoredId, "c").With("nope", 1.0)]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifacts accepts custom properties of every kind.</summary>
    [Fact]
    public async Task PutArtifacts_accepts_custom_properties_of_every_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var artifact = Artifact.Of(type.StoredId)
            .WithCustom("i", 1).WithCustom("d", 2.5).WithCustom("s", "x").WithCustom("b", false)
            .WithCustom("st", PropertyValue.FromStructJson("""{"a":1}""")).WithCustom("p", PropertyValue.FromProto("type.googleapis.com/x.Y", [1, 2]));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(artifact));

        stored.CustomProperties.Should().BeEquivalentTo(artifact.CustomProperties);
        stored.Properties.Should().BeEmpty();
    }

    /// <summary>Reads by id, in reverse id order and by listing give each node its own properties, however many.</summary>
    [Fact]
    public async Task Reads_give_each_node_its_own_properties_when_nodes_hold_many()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("a", PropertyKind.Int), ("b", PropertyKind.String));
        var artifacts = new List<Artifact>();
        for (var n = 0; n < 4; n++)
        {
            // Node n holds 3n custom properties: none, a few (searched in place) and more than eight (indexed).
            var artifact = Artifact.Of(type.StoredId, $"u{n}").With("a", n).With("b", $"b{n}");
            for (var c = 0; c < 3 * n; c++)
            {
                artifact = artifact.WithCustom($"c{c}", (n * 100) + c);
            }

            artifacts.Add(artifact);
        }

        var ids = await store.PutArtifactsAsync(artifacts);
        var byId = await store.GetArtifactsByIdAsync([ids[3], ids[1], ids[0], ids[2]]);
        var listed = (await store.ListArtifactsAsync(new NodeListOptions { OrderBy = NodeOrder.CreateTime, Descending = true })).Items;

        foreach (var read in new[] { byId, listed })
        {
            read.Should().HaveCount(4);
            foreach (var stored in read)
            {
                var n = ids.ToList().IndexOf(stored.StoredId);
                stored.Properties.Should().BeEquivalentTo(artifacts[n].Properties);
                stored.CustomProperties.Should().BeEquivalentTo(artifacts[n].CustomProperties);
                stored.CustomProperties.Keys.Should().HaveCount(3 * n);
                for (var c = 0; c < 3 * n; c++)
                {
                    stored.CustomProperties[$"c{c}"].IntValue.Should().Be((n * 100) + c);
                }

                stored.CustomProperties.ContainsKey("missing").Should().BeFalse();
                stored.Should().Be(artifacts[n] with { Id = stored.Id, TypeName = type.Name, CreateTime = stored.CreateTime, LastUpdateTime = stored.LastUpdateTime });
            }
        }
    }

    /// <summary>PutArtifacts keeps typed and custom property of the same name apart.</summary>
    [Fact]
    public async Task PutArtifacts_keeps_typed_and_custom_property_of_the_same_name_apart()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("x", PropertyKind.Int));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("x", 1).WithCustom("x", "one")));

        stored.Properties["x"].Should().Be(PropertyValue.FromInt(1));
        stored.CustomProperties["x"].Should().Be(PropertyValue.FromString("one"));
    }

    /// <summary>PutArtifacts round trips int values.</summary>
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public async Task PutArtifacts_round_trips_int_values(long value)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.Int));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", value).WithCustom("v", value)));

        stored.Properties["v"].IntValue.Should().Be(value);
        stored.CustomProperties["v"].IntValue.Should().Be(value);
    }

    /// <summary>PutArtifacts round trips double values at full precision.</summary>
    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.1234567)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-123456.789012345)]
    [InlineData(1.0 / 3.0)]
    public async Task PutArtifacts_round_trips_double_values_at_full_precision(double value)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.Double));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", value).WithCustom("v", value)));

        stored.Properties["v"].DoubleValue.Should().Be(value);
        stored.CustomProperties["v"].DoubleValue.Should().Be(value);
    }

    /// <summary>PutArtifacts round trips string values.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("it's \"quoted\" -- ; DROP TABLE Artifact;")]
    [InlineData("Ünïcödé ✓ 模型")]
    public async Task PutArtifacts_round_trips_string_values(string value)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.String));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", value).WithCustom("v", value)));

        stored.Properties["v"].Kind.Should().Be(PropertyKind.String);
        stored.Properties["v"].StringValue.Should().Be(value);
        stored.CustomProperties["v"].StringValue.Should().Be(value);
    }

    /// <summary>PutArtifacts round trips boolean values.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PutArtifacts_round_trips_boolean_values(bool value)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.Boolean));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", value)));

        stored.Properties["v"].Kind.Should().Be(PropertyKind.Boolean);
        stored.Properties["v"].BooleanValue.Should().Be(value);
    }

    /// <summary>PutArtifacts round trips struct values.</summary>
    [Fact]
    public async Task PutArtifacts_round_trips_struct_values()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.Struct));
        const string Json = """{"layers":[64,32.5],"activation":"relu","nested":{"ok":true,"none":null},"empty":{}}""";

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", PropertyValue.FromStructJson(Json))));

        stored.Properties["v"].Kind.Should().Be(PropertyKind.Struct);
        var element = stored.Properties["v"].ToJsonElement();
        element.GetProperty("activation").GetString().Should().Be("relu");
        element.GetProperty("layers")[1].GetDouble().Should().Be(32.5);
        element.GetProperty("nested").GetProperty("ok").GetBoolean().Should().BeTrue();
        element.GetProperty("nested").GetProperty("none").ValueKind.Should().Be(JsonValueKind.Null);
        element.GetProperty("empty").EnumerateObject().Should().BeEmpty();
    }

    /// <summary>PutArtifacts round trips proto values.</summary>
    [Fact]
    public async Task PutArtifacts_round_trips_proto_values()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.Proto));
        byte[] bytes = [0, 1, 2, 255, 0, 10, 13];
        var value = PropertyValue.FromProto("type.googleapis.com/my.pkg.Msg", bytes);

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", value).WithCustom("v", value)));

        stored.Properties["v"].ProtoTypeUrl.Should().Be("type.googleapis.com/my.pkg.Msg");
        stored.Properties["v"].ProtoValue.ToArray().Should().Equal(bytes);
        stored.CustomProperties["v"].Should().Be(value);
    }

    /// <summary>PutArtifacts throws AlreadyExists when name is taken within the type.</summary>
    [Fact]
    public async Task PutArtifacts_throws_AlreadyExists_when_name_is_taken_within_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var name = Some.Name();
        await store.PutArtifactAsync(Artifact.Of(type.StoredId, name: name));

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId, name: name)]);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(name);
        (await store.AllArtifactsAsync()).Should().ContainSingle();
    }

    /// <summary>PutArtifacts allows same name in another type.</summary>
    [Fact]
    public async Task PutArtifacts_allows_same_name_in_another_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = await store.AddArtifactTypeAsync();
        var second = await store.AddArtifactTypeAsync();

        await store.PutArtifactAsync(Artifact.Of(first.StoredId, name: "same"));
        await store.PutArtifactAsync(Artifact.Of(second.StoredId, name: "same"));

        (await store.AllArtifactsAsync()).Should().HaveCount(2);
    }

    /// <summary>PutArtifacts allows many artifacts without name.</summary>
    [Fact]
    public async Task PutArtifacts_allows_many_artifacts_without_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        await store.PutArtifactsAsync([Artifact.Of(type.StoredId), Artifact.Of(type.StoredId)]);

        (await store.AllArtifactsAsync()).Should().HaveCount(2);
    }

    /// <summary>PutExecutions throws AlreadyExists when name is repeated in one batch.</summary>
    [Fact]
    public async Task PutExecutions_throws_AlreadyExists_when_name_is_repeated_in_one_batch()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();

        var act = () => store.PutExecutionsAsync([Execution.Of(type.StoredId, name: "e"), Execution.Of(type.StoredId, name: "e")]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.AllExecutionsAsync()).Should().BeEmpty();
    }

    /// <summary>PutArtifacts throws AlreadyExists when external id is taken by an artifact of another type.</summary>
    [Fact]
    public async Task PutArtifacts_throws_AlreadyExists_when_external_id_is_taken_by_an_artifact_of_another_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = await store.AddArtifactTypeAsync();
        var second = await store.AddArtifactTypeAsync();
        var externalId = Some.ExternalId();
        await store.PutArtifactAsync(Artifact.Of(first.StoredId) with { ExternalId = externalId });

        var act = () => store.PutArtifactsAsync([Artifact.Of(second.StoredId) with { ExternalId = externalId }]);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(externalId);
    }

    /// <summary>PutNodes allow same external id in different node kinds.</summary>
    [Fact]
    public async Task PutNodes_allow_same_external_id_in_different_node_kinds()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();

        await store.PutArtifactAsync(Artifact.Of(artifactType.StoredId) with { ExternalId = "shared" });
        await store.PutSingleExecutionAsync(Execution.Of(executionType.StoredId) with { ExternalId = "shared" });
        await store.PutContextAsync(Context.Of(contextType.StoredId, "c") with { ExternalId = "shared" });

        (await store.GetExecutionsByExternalIdAsync(["shared"])).Should().ContainSingle();
        (await store.GetContextsByExternalIdAsync(["shared"])).Should().ContainSingle();
    }

    /// <summary>PutContexts throws AlreadyExists when external id is taken.</summary>
    [Fact]
    public async Task PutContexts_throws_AlreadyExists_when_external_id_is_taken()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        await store.PutContextAsync(Context.Of(type.StoredId, "a") with { ExternalId = "x" });

        var act = () => store.PutContextsAsync([Context.Of(type.StoredId, "b") with { ExternalId = "x" }]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
    }

    /// <summary>PutContexts throws InvalidArgument when name is missing or empty.</summary>
    [Fact]
    public async Task PutContexts_throws_InvalidArgument_when_name_is_missing_or_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();

        await ((Func<Task>)(() => store.PutContextsAsync([new Context { TypeId = type.Id }]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.PutContextsAsync([Context.Of(type.StoredId, string.Empty)]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.AllContextsAsync()).Should().BeEmpty();
    }

    /// <summary>PutContexts throws AlreadyExists when name is taken within the type.</summary>
    [Fact]
    public async Task PutContexts_throws_AlreadyExists_when_name_is_taken_within_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        await store.PutContextAsync(Context.Of(type.StoredId, "run"));

        var act = () => store.PutContextsAsync([Context.Of(type.StoredId, "run")]);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain("run");
    }

    /// <summary>PutArtifacts throws InvalidArgument when updating an unknown id.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_updating_an_unknown_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId) with { Id = 31_337 }]);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("31337");
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>PutExecutions throws InvalidArgument when updating an unknown id.</summary>
    [Fact]
    public async Task PutExecutions_throws_InvalidArgument_when_updating_an_unknown_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();

        var act = () => store.PutExecutionsAsync([Execution.Of(type.StoredId) with { Id = 31_337 }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifacts throws InvalidArgument when update changes the type.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_update_changes_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = await store.AddArtifactTypeAsync();
        var second = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(first.StoredId, "u"));

        var act = () => store.PutArtifactsAsync([Artifact.Of(second.StoredId, "u") with { Id = id }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.GetArtifactAsync(id)).TypeId.Should().Be(first.Id);
    }

    /// <summary>PutContexts throws InvalidArgument when update changes the type.</summary>
    [Fact]
    public async Task PutContexts_throws_InvalidArgument_when_update_changes_the_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = await store.AddContextTypeAsync();
        var second = await store.AddContextTypeAsync();
        var id = await store.PutContextAsync(Context.Of(first.StoredId, "c"));

        var act = () => store.PutContextsAsync([Context.Of(second.StoredId, "c") with { Id = id }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifacts keeps the type when update omits it.</summary>
    [Fact]
    public async Task PutArtifacts_keeps_the_type_when_update_omits_it()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId));

        await store.PutArtifactAsync(new Artifact { Id = id, State = ArtifactState.Live });

        var stored = await store.GetArtifactAsync(id);
        stored.TypeId.Should().Be(type.Id);
        stored.State.Should().Be(ArtifactState.Live);
    }

    /// <summary>PutArtifacts ignores a changed name in an update.</summary>
    [Fact]
    public async Task PutArtifacts_ignores_a_changed_name_in_an_update()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u", "original"));

        await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u", "renamed") with { Id = id, State = ArtifactState.Live });

        var stored = await store.GetArtifactAsync(id);
        stored.Name.Should().Be("original");
        stored.State.Should().Be(ArtifactState.Live);
    }

    /// <summary>PutArtifacts ignores a name added in an update.</summary>
    [Fact]
    public async Task PutArtifacts_ignores_a_name_added_in_an_update()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u"));

        await store.PutArtifactAsync(Artifact.Of(type.StoredId, "u", "late") with { Id = id });

        (await store.GetArtifactAsync(id)).Name.Should().BeNull();
    }

    /// <summary>PutExecutions ignores a changed name in an update.</summary>
    [Fact]
    public async Task PutExecutions_ignores_a_changed_name_in_an_update()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();
        var id = await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, name: "original"));

        await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, ExecutionState.Complete, "renamed") with { Id = id });

        var stored = await store.GetExecutionAsync(id);
        stored.Name.Should().Be("original");
        stored.LastKnownState.Should().Be(ExecutionState.Complete);
    }

    /// <summary>PutContexts renames the context in an update.</summary>
    [Fact]
    public async Task PutContexts_renames_the_context_in_an_update()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "before"));

        await store.PutContextAsync(Context.Of(type.StoredId, "after") with { Id = id });

        (await store.GetContextAsync(id)).Name.Should().Be("after");
        (await store.GetContextByTypeAndNameAsync(type.Name, null, "after")).Should().NotBeNull();
        (await store.GetContextByTypeAndNameAsync(type.Name, null, "before")).Should().BeNull();
    }

    /// <summary>PutContexts throws AlreadyExists when renamed to a taken name.</summary>
    [Fact]
    public async Task PutContexts_throws_AlreadyExists_when_renamed_to_a_taken_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddContextTypeAsync();
        await store.PutContextAsync(Context.Of(type.StoredId, "taken"));
        var id = await store.PutContextAsync(Context.Of(type.StoredId, "mine"));

        var act = () => store.PutContextsAsync([Context.Of(type.StoredId, "taken") with { Id = id }]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetContextAsync(id)).Name.Should().Be("mine");
    }

    /// <summary>GetArtifactByTypeAndName finds the artifact.</summary>
    [Fact]
    public async Task GetArtifactByTypeAndName_finds_the_artifact()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, name: "a"));
        await store.PutArtifactAsync(Artifact.Of(type.StoredId, name: "b"));

        (await store.GetArtifactByTypeAndNameAsync(type.Name, null, "a"))!.Id.Should().Be(id);
    }

    /// <summary>GetNodeByTypeAndName return null when type or name is unknown.</summary>
    [Fact]
    public async Task GetNodeByTypeAndName_return_null_when_type_or_name_is_unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        await store.PutArtifactAsync(Artifact.Of(artifactType.StoredId, name: "a"));
        await store.PutSingleExecutionAsync(Execution.Of(executionType.StoredId, name: "e"));

        (await store.GetArtifactByTypeAndNameAsync(artifactType.Name, null, "zzz")).Should().BeNull();
        (await store.GetArtifactByTypeAndNameAsync(Some.TypeName(), null, "a")).Should().BeNull();
        (await store.GetArtifactByTypeAndNameAsync(artifactType.Name, "1", "a")).Should().BeNull();
        (await store.GetExecutionByTypeAndNameAsync(executionType.Name, null, "zzz")).Should().BeNull();
        (await store.GetContextByTypeAndNameAsync(Some.TypeName(), null, "c")).Should().BeNull();
    }

    /// <summary>GetExecutionByTypeAndName distinguishes type versions.</summary>
    [Fact]
    public async Task GetExecutionByTypeAndName_distinguishes_type_versions()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();
        var unversioned = await store.PutExecutionTypeAsync(ExecutionType.Named(name));
        var versioned = await store.PutExecutionTypeAsync(ExecutionType.Named(name, "2"));
        var first = await store.PutSingleExecutionAsync(Execution.Of(unversioned, name: "e"));
        var second = await store.PutSingleExecutionAsync(Execution.Of(versioned, name: "e"));

        (await store.GetExecutionByTypeAndNameAsync(name, null, "e"))!.Id.Should().Be(first);
        (await store.GetExecutionByTypeAndNameAsync(name, "2", "e"))!.Id.Should().Be(second);
    }

    /// <summary>GetArtifactsByUri returns artifacts at any given uri.</summary>
    [Fact]
    public async Task GetArtifactsByUri_returns_artifacts_at_any_given_uri()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var ids = await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "a"), Artifact.Of(type.StoredId, "a"), Artifact.Of(type.StoredId, "b"), Artifact.Of(type.StoredId, "c")]);

        (await store.GetArtifactsByUriAsync(["a", "b", "nowhere"])).Select(a => a.StoredId).Should().BeEquivalentTo(ids.Take(3));
        (await store.GetArtifactsByUriAsync(["nowhere"])).Should().BeEmpty();
    }

    /// <summary>GetArtifactsByExternalId returns matches and empty when none match.</summary>
    [Fact]
    public async Task GetArtifactsByExternalId_returns_matches_and_empty_when_none_match()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { ExternalId = "e1" });
        await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { ExternalId = "e2" });

        (await store.GetArtifactsByExternalIdAsync(["e1", "zz"])).Select(a => a.Id).Should().Equal(id);
        (await store.GetArtifactsByExternalIdAsync(["zz"])).Should().BeEmpty();
    }

    /// <summary>GetNodesByExternalId throw InvalidArgument when an external id is empty.</summary>
    [Fact]
    public async Task GetNodesByExternalId_throw_InvalidArgument_when_an_external_id_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();

        await ((Func<Task>)(() => store.GetArtifactsByExternalIdAsync([string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetExecutionsByExternalIdAsync(["x", string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetContextsByExternalIdAsync([string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifacts updates and inserts in one batch.</summary>
    [Fact]
    public async Task PutArtifacts_updates_and_inserts_in_one_batch()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "old"));

        var ids = await store.PutArtifactsAsync([Artifact.Of(type.StoredId, "old") with { Id = id, State = ArtifactState.Deleted }, Artifact.Of(type.StoredId, "other")]);

        ids[0].Should().Be(id);
        ids[1].Should().NotBe(id);
        (await store.GetArtifactAsync(id)).State.Should().Be(ArtifactState.Deleted);
        (await store.GetArtifactAsync(ids[1])).Uri.Should().Be("other");
    }

    /// <summary>PutArtifacts updating many artifacts at once writes each its own values (many alike statements in one call, twice).</summary>
    [Fact]
    public async Task PutArtifacts_writes_each_artifact_its_own_values_when_updating_many_at_once()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("n", PropertyKind.Int));
        var created = Enumerable.Range(0, 40).Select(i => Artifact.Of(type.StoredId, $"u{i}").With("n", i).WithCustom("gone", i)).ToList();
        var ids = await store.PutArtifactsAsync(created);

        for (var round = 1; round <= 2; round++)
        {
            var updated = ids.Select((id, i) => (Artifact.Of(type.StoredId, $"u{i}") with { Id = id })
                .With("n", (round * 1000) + i).WithCustom("tag", $"r{round}-{i}")).ToList();
            await store.PutArtifactsAsync(updated);

            var stored = await store.GetArtifactsByIdAsync(ids);
            stored.Select(a => a.Properties["n"].IntValue).Should().Equal(Enumerable.Range(0, 40).Select(i => (long)((round * 1000) + i)));
            stored.Select(a => a.CustomProperties["tag"].StringValue).Should().Equal(Enumerable.Range(0, 40).Select(i => $"r{round}-{i}"));
            stored.Should().OnlyContain(a => !a.CustomProperties.ContainsKey("gone") && a.CustomProperties.Count == 1);
        }
    }

    /// <summary>PutArtifacts replaces uri when updating without a mask.</summary>
    [Fact]
    public async Task PutArtifacts_replaces_uri_when_updating_without_a_mask()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "old"));

        await store.PutArtifactAsync(Artifact.Of(type.StoredId, "new") with { Id = id });

        (await store.GetArtifactAsync(id)).Uri.Should().Be("new");
        (await store.GetArtifactsByUriAsync(["old"])).Should().BeEmpty();
    }

    /// <summary>PutArtifacts keeps a string that looks like an encoded struct readable.</summary>
    [Fact]
    public async Task PutArtifacts_keeps_a_string_that_looks_like_an_encoded_struct_readable()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("v", PropertyKind.String));
        const string Value = "mlmd-struct::notreally";

        long id;
        try
        {
            id = await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("v", Value));
        }
        catch (MetadataStoreException ex)
        {
            // Refusing the value is acceptable; storing something that cannot be read back is not.
            ex.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
            (await store.AllArtifactsAsync()).Should().BeEmpty();
            return;
        }

        var stored = await store.GetArtifactAsync(id);
        stored.Properties["v"].Should().Be(PropertyValue.FromString(Value));
    }
    /// <summary>PutArtifacts round trips every state.</summary>
    [Theory]
    [InlineData(ArtifactState.Unknown)]
    [InlineData(ArtifactState.Pending)]
    [InlineData(ArtifactState.Live)]
    [InlineData(ArtifactState.MarkedForDeletion)]
    [InlineData(ArtifactState.Deleted)]
    [InlineData(ArtifactState.Abandoned)]
    [InlineData(ArtifactState.Reference)]
    public async Task PutArtifacts_round_trips_every_state(ArtifactState state)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        (await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { State = state }))).State.Should().Be(state);
    }

    /// <summary>PutExecutions round trips every state.</summary>
    [Theory]
    [InlineData(ExecutionState.Unknown)]
    [InlineData(ExecutionState.New)]
    [InlineData(ExecutionState.Running)]
    [InlineData(ExecutionState.Complete)]
    [InlineData(ExecutionState.Failed)]
    [InlineData(ExecutionState.Cached)]
    [InlineData(ExecutionState.Canceled)]
    public async Task PutExecutions_round_trips_every_state(ExecutionState state)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddExecutionTypeAsync();

        (await store.GetExecutionAsync(await store.PutSingleExecutionAsync(Execution.Of(type.StoredId, state)))).LastKnownState.Should().Be(state);
    }

    /// <summary>PutArtifacts stores nothing when two inserts share an external id.</summary>
    [Fact]
    public async Task PutArtifacts_stores_nothing_when_two_inserts_share_an_external_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId) with { ExternalId = "dup" }, Artifact.Of(type.StoredId) with { ExternalId = "dup" }]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>PutArtifacts throws AlreadyExists when update takes another artifacts external id.</summary>
    [Fact]
    public async Task PutArtifacts_throws_AlreadyExists_when_update_takes_another_artifacts_external_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { ExternalId = "taken" });
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId) with { ExternalId = "mine" });

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId) with { Id = id, ExternalId = "taken" }]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetArtifactAsync(id)).ExternalId.Should().Be("mine");
    }

    /// <summary>PutArtifacts throws InvalidArgument when update has an undeclared property.</summary>
    [Fact]
    public async Task PutArtifacts_throws_InvalidArgument_when_update_has_an_undeclared_property()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId).With("p", 1));
        var before = await store.SnapshotAsync();

        var act = () => store.PutArtifactsAsync([Artifact.Of(type.StoredId).With("p", 2).With("q", 3) with { Id = id }]);

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutArtifacts throws NotFound when type name names only a versioned type.</summary>
    [Fact]
    public async Task PutArtifacts_throws_NotFound_when_type_name_names_only_a_versioned_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();
        await store.PutArtifactTypeAsync(ArtifactType.Named(name, "1"));

        var act = () => store.PutArtifactsAsync([Artifact.Of(name)]);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>GetArtifactsByUri returns each artifact once when uris repeat.</summary>
    [Fact]
    public async Task GetArtifactsByUri_returns_each_artifact_once_when_uris_repeat()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.StoredId, "same"));

        (await store.GetArtifactsByUriAsync(["same", "same"])).Select(a => a.Id).Should().Equal(id);
    }

    /// <summary>GetExecutionsByExternalId and GetContextsByExternalId return matches.</summary>
    [Fact]
    public async Task GetExecutionsByExternalId_and_GetContextsByExternalId_return_matches()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var executionIds = await store.PutExecutionsAsync([Execution.Of(executionType.StoredId) with { ExternalId = "e1" }, Execution.Of(executionType.StoredId) with { ExternalId = "e2" }]);
        var contextId = await store.PutContextAsync(Context.Of(contextType.StoredId, "c") with { ExternalId = "c1" });

        (await store.GetExecutionsByExternalIdAsync(["e2", "e1"])).Select(e => e.StoredId).Should().BeEquivalentTo(executionIds);
        (await store.GetContextsByExternalIdAsync(["c1", "e1"])).Select(c => c.Id).Should().Equal(contextId);
    }

    /// <summary>GetArtifactsByType fills in the type name.</summary>
    [Fact]
    public async Task GetArtifactsByType_fills_in_the_type_name()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        await store.PutArtifactAsync(Artifact.Of(type.StoredId));

        (await store.ListArtifactsByTypeAsync(type.Name)).Items.Should().ContainSingle().Which.TypeName.Should().Be(type.Name);
    }
}
