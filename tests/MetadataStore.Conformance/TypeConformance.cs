using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Types: storing, reading, evolution, versions, base types, system types and external ids.</summary>
public abstract class TypeConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private static readonly PutTypeOptions CanAdd = new() { CanAddFields = true };
    private static readonly PutTypeOptions CanOmit = new() { CanOmitFields = true };
    private static readonly PutTypeOptions CanAddAndOmit = new() { CanAddFields = true, CanOmitFields = true };

    /// <summary>GetArtifactType round trips every field.</summary>
    [Fact]
    public async Task GetArtifactType_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("i", PropertyKind.Int), ("d", PropertyKind.Double), ("s", PropertyKind.String),
            ("st", PropertyKind.Struct), ("p", PropertyKind.Proto), ("b", PropertyKind.Boolean)) with
        {
            Version = "2.1",
            Description = "a model",
            ExternalId = Some.ExternalId(),
            BaseType = ArtifactBaseType.Model,
        };

        var id = await store.PutArtifactTypeAsync(type);
        var stored = await store.GetArtifactTypeAsync(type.Name, "2.1");

        stored.Should().BeEquivalentTo(type with { Id = id }, o => o.ComparingRecordsByMembers());
    }

    /// <summary>GetExecutionType round trips every field.</summary>
    [Fact]
    public async Task GetExecutionType_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType(("i", PropertyKind.Int), ("s", PropertyKind.String)) with
        {
            Version = "v1",
            Description = "training",
            ExternalId = Some.ExternalId(),
            BaseType = ExecutionBaseType.Train,
        };

        var id = await store.PutExecutionTypeAsync(type);
        var stored = await store.GetExecutionTypeAsync(type.Name, "v1");

        stored.Should().BeEquivalentTo(type with { Id = id }, o => o.ComparingRecordsByMembers());
    }

    /// <summary>GetContextType round trips every field.</summary>
    [Fact]
    public async Task GetContextType_round_trips_every_field()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ContextType(("owner", PropertyKind.String)) with { Description = "a run", ExternalId = Some.ExternalId() };

        var id = await store.PutContextTypeAsync(type);
        var stored = await store.GetContextTypeAsync(type.Name);

        stored.Should().BeEquivalentTo(type with { Id = id }, o => o.ComparingRecordsByMembers());
    }

    /// <summary>PutArtifactType returns same id when same definition is put again.</summary>
    [Fact]
    public async Task PutArtifactType_returns_same_id_when_same_definition_is_put_again()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int));

        var first = await store.PutArtifactTypeAsync(type);
        var second = await store.PutArtifactTypeAsync(type);

        second.Should().Be(first);
        (await store.GetArtifactTypesAsync()).Should().ContainSingle();
    }

    /// <summary>PutArtifactType throws AlreadyExists when property added without CanAddFields.</summary>
    [Fact]
    public async Task PutArtifactType_throws_AlreadyExists_when_property_added_without_CanAddFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int));
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(type.WithProperty("b", PropertyKind.String));

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(type.Name);
        (await store.GetArtifactTypeAsync(type.Name)).Properties.Keys.Should().BeEquivalentTo(["a"]);
    }

    /// <summary>PutArtifactType adds property when CanAddFields.</summary>
    [Fact]
    public async Task PutArtifactType_adds_property_when_CanAddFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int));
        var id = await store.PutArtifactTypeAsync(type);

        var again = await store.PutArtifactTypeAsync(type.WithProperty("b", PropertyKind.String), CanAdd);

        again.Should().Be(id);
        (await store.GetArtifactTypeAsync(type.Name)).Properties.Should().BeEquivalentTo(
            new Dictionary<string, PropertyKind> { ["a"] = PropertyKind.Int, ["b"] = PropertyKind.String });
    }

    /// <summary>PutArtifactType throws AlreadyExists when property omitted without CanOmitFields.</summary>
    [Fact]
    public async Task PutArtifactType_throws_AlreadyExists_when_property_omitted_without_CanOmitFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int), ("b", PropertyKind.Int));
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(ArtifactType.Named(type.Name).WithProperty("a", PropertyKind.Int), CanAdd);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
    }

    /// <summary>PutArtifactType keeps omitted property when CanOmitFields.</summary>
    [Fact]
    public async Task PutArtifactType_keeps_omitted_property_when_CanOmitFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int), ("b", PropertyKind.Int));
        var id = await store.PutArtifactTypeAsync(type);

        var again = await store.PutArtifactTypeAsync(ArtifactType.Named(type.Name).WithProperty("a", PropertyKind.Int), CanOmit);

        again.Should().Be(id);
        (await store.GetArtifactTypeAsync(type.Name)).Properties.Keys.Should().BeEquivalentTo(["a", "b"]);
    }

    /// <summary>PutArtifactType stores union when properties added and omitted at once.</summary>
    [Fact]
    public async Task PutArtifactType_stores_union_when_properties_added_and_omitted_at_once()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int), ("b", PropertyKind.Double));
        await store.PutArtifactTypeAsync(type);

        await store.PutArtifactTypeAsync(ArtifactType.Named(type.Name).WithProperty("a", PropertyKind.Int).WithProperty("c", PropertyKind.Boolean), CanAddAndOmit);

        (await store.GetArtifactTypeAsync(type.Name)).Properties.Should().BeEquivalentTo(new Dictionary<string, PropertyKind>
        {
            ["a"] = PropertyKind.Int,
            ["b"] = PropertyKind.Double,
            ["c"] = PropertyKind.Boolean,
        });
    }

    /// <summary>PutArtifactType throws AlreadyExists when property retyped even with both options.</summary>
    [Fact]
    public async Task PutArtifactType_throws_AlreadyExists_when_property_retyped_even_with_both_options()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int));
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(ArtifactType.Named(type.Name).WithProperty("a", PropertyKind.String), CanAddAndOmit);

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(type.Name).And.Contain("a");
        (await store.GetArtifactTypeAsync(type.Name)).Properties["a"].Should().Be(PropertyKind.Int);
    }

    /// <summary>PutExecutionType throws AlreadyExists when property retyped.</summary>
    [Fact]
    public async Task PutExecutionType_throws_AlreadyExists_when_property_retyped()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType(("a", PropertyKind.Double));
        await store.PutExecutionTypeAsync(type);

        var act = () => store.PutExecutionTypeAsync(ExecutionType.Named(type.Name).WithProperty("a", PropertyKind.Int), CanAddAndOmit);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
    }

    /// <summary>PutContextType adds property when CanAddFields.</summary>
    [Fact]
    public async Task PutContextType_adds_property_when_CanAddFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ContextType(("a", PropertyKind.String));
        await store.PutContextTypeAsync(type);

        await store.PutContextTypeAsync(type.WithProperty("b", PropertyKind.Struct), CanAdd);

        (await store.GetContextTypeAsync(type.Name)).Properties.Keys.Should().BeEquivalentTo(["a", "b"]);
    }

    /// <summary>PutContextType throws AlreadyExists when property added without CanAddFields.</summary>
    [Fact]
    public async Task PutContextType_throws_AlreadyExists_when_property_added_without_CanAddFields()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ContextType();
        await store.PutContextTypeAsync(type);

        var act = () => store.PutContextTypeAsync(type.WithProperty("b", PropertyKind.Int));

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
    }

    /// <summary>PutArtifactType throws InvalidArgument when name is empty.</summary>
    [Fact]
    public async Task PutArtifactType_throws_InvalidArgument_when_name_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutArtifactTypeAsync(ArtifactType.Named(string.Empty));

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
    }

    /// <summary>PutArtifactType throws InvalidArgument when property kind is Unknown.</summary>
    [Fact]
    public async Task PutArtifactType_throws_InvalidArgument_when_property_kind_is_Unknown()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("bad", PropertyKind.Unknown));

        var act = () => store.PutArtifactTypeAsync(type);

        (await act.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("bad");
        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
    }

    /// <summary>PutExecutionType throws InvalidArgument when property kind is Unknown.</summary>
    [Fact]
    public async Task PutExecutionType_throws_InvalidArgument_when_property_kind_is_Unknown()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutExecutionTypeAsync(Some.ExecutionType(("bad", PropertyKind.Unknown)));

        await act.ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifactType creates distinct types when only version differs.</summary>
    [Fact]
    public async Task PutArtifactType_creates_distinct_types_when_only_version_differs()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();

        var unversioned = await store.PutArtifactTypeAsync(ArtifactType.Named(name).WithProperty("a", PropertyKind.Int));
        var versioned = await store.PutArtifactTypeAsync(ArtifactType.Named(name, "1").WithProperty("b", PropertyKind.String));

        versioned.Should().NotBe(unversioned);
        (await store.GetArtifactTypeAsync(name)).Properties.Keys.Should().BeEquivalentTo(["a"]);
        (await store.GetArtifactTypeAsync(name, "1")).Properties.Keys.Should().BeEquivalentTo(["b"]);
        (await store.GetArtifactTypesAsync()).Should().HaveCount(2);
    }

    /// <summary>PutArtifactType treats empty version as unversioned.</summary>
    [Fact]
    public async Task PutArtifactType_treats_empty_version_as_unversioned()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();

        var unversioned = await store.PutArtifactTypeAsync(ArtifactType.Named(name));
        var empty = await store.PutArtifactTypeAsync(ArtifactType.Named(name, string.Empty));

        empty.Should().Be(unversioned);
        (await store.GetArtifactTypeAsync(name)).Version.Should().BeNull();
    }

    /// <summary>GetArtifactType finds unversioned type when version is empty.</summary>
    [Fact]
    public async Task GetArtifactType_finds_unversioned_type_when_version_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType();
        var id = await store.PutArtifactTypeAsync(type);

        (await store.GetArtifactTypeAsync(type.Name, string.Empty)).Id.Should().Be(id);
    }

    /// <summary>GetArtifactType throws NotFound when absent.</summary>
    [Fact]
    public async Task GetArtifactType_throws_NotFound_when_absent()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();

        var act = () => store.GetArtifactTypeAsync(name);

        (await act.ShouldFailWith(MetadataErrorCode.NotFound)).Message.Should().Contain(name);
    }

    /// <summary>GetArtifactType throws NotFound when only another version exists.</summary>
    [Fact]
    public async Task GetArtifactType_throws_NotFound_when_only_another_version_exists()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();
        await store.PutArtifactTypeAsync(ArtifactType.Named(name, "1"));

        await ((Func<Task>)(() => store.GetArtifactTypeAsync(name))).ShouldFailWith(MetadataErrorCode.NotFound);
        await ((Func<Task>)(() => store.GetArtifactTypeAsync(name, "2"))).ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>GetExecutionType throws NotFound when name is an artifact type.</summary>
    [Fact]
    public async Task GetExecutionType_throws_NotFound_when_name_is_an_artifact_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType();
        await store.PutArtifactTypeAsync(type);

        var act = () => store.GetExecutionTypeAsync(type.Name);

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>GetContextType throws NotFound when absent.</summary>
    [Fact]
    public async Task GetContextType_throws_NotFound_when_absent()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.GetContextTypeAsync(Some.TypeName());

        await act.ShouldFailWith(MetadataErrorCode.NotFound);
    }

    /// <summary>PutArtifactType allows same name in other kinds.</summary>
    [Fact]
    public async Task PutArtifactType_allows_same_name_in_other_kinds()
    {
        await using var store = await factory.OpenEmptyAsync();
        var name = Some.TypeName();

        var artifactTypeId = await store.PutArtifactTypeAsync(ArtifactType.Named(name));
        var executionTypeId = await store.PutExecutionTypeAsync(ExecutionType.Named(name));
        var contextTypeId = await store.PutContextTypeAsync(ContextType.Named(name));

        new[] { artifactTypeId, executionTypeId, contextTypeId }.Should().OnlyHaveUniqueItems();
        (await store.GetExecutionTypeAsync(name)).Id.Should().Be(executionTypeId);
    }

    /// <summary>PutArtifactType sets base type when first stored.</summary>
    [Fact]
    public async Task PutArtifactType_sets_base_type_when_first_stored()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType() with { BaseType = ArtifactBaseType.Dataset };

        await store.PutArtifactTypeAsync(type);

        (await store.GetArtifactTypeAsync(type.Name)).BaseType.Should().Be(ArtifactBaseType.Dataset);
    }

    /// <summary>PutArtifactType sets base type when stored type has none.</summary>
    [Fact]
    public async Task PutArtifactType_sets_base_type_when_stored_type_has_none()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType();
        await store.PutArtifactTypeAsync(type);

        await store.PutArtifactTypeAsync(type with { BaseType = ArtifactBaseType.Metrics });

        (await store.GetArtifactTypeAsync(type.Name)).BaseType.Should().Be(ArtifactBaseType.Metrics);
    }

    /// <summary>PutArtifactType throws Unimplemented when base type changes.</summary>
    [Fact]
    public async Task PutArtifactType_throws_Unimplemented_when_base_type_changes()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType() with { BaseType = ArtifactBaseType.Dataset };
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(type with { BaseType = ArtifactBaseType.Model });

        (await act.ShouldFailWith(MetadataErrorCode.Unimplemented)).Message.Should().Contain(type.Name);
        (await store.GetArtifactTypeAsync(type.Name)).BaseType.Should().Be(ArtifactBaseType.Dataset);
    }

    /// <summary>PutArtifactType throws Unimplemented when base type is unset on a type with one.</summary>
    [Fact]
    public async Task PutArtifactType_throws_Unimplemented_when_base_type_is_unset_on_a_type_with_one()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType() with { BaseType = ArtifactBaseType.Statistics };
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(type with { BaseType = ArtifactBaseType.Unset });

        await act.ShouldFailWith(MetadataErrorCode.Unimplemented);
        (await store.GetArtifactTypeAsync(type.Name)).BaseType.Should().Be(ArtifactBaseType.Statistics);
    }

    /// <summary>PutArtifactType keeps base type when omitted.</summary>
    [Fact]
    public async Task PutArtifactType_keeps_base_type_when_omitted()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType() with { BaseType = ArtifactBaseType.Model };
        var id = await store.PutArtifactTypeAsync(type);

        var again = await store.PutArtifactTypeAsync(type with { BaseType = null });

        again.Should().Be(id);
        (await store.GetArtifactTypeAsync(type.Name)).BaseType.Should().Be(ArtifactBaseType.Model);
    }

    /// <summary>PutExecutionType throws Unimplemented when base type changes.</summary>
    [Fact]
    public async Task PutExecutionType_throws_Unimplemented_when_base_type_changes()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType() with { BaseType = ExecutionBaseType.Train };
        await store.PutExecutionTypeAsync(type);

        var act = () => store.PutExecutionTypeAsync(type with { BaseType = ExecutionBaseType.Deploy });

        await act.ShouldFailWith(MetadataErrorCode.Unimplemented);
    }

    /// <summary>PutExecutionType throws Unimplemented when base type is unset on a type with one.</summary>
    [Fact]
    public async Task PutExecutionType_throws_Unimplemented_when_base_type_is_unset_on_a_type_with_one()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType() with { BaseType = ExecutionBaseType.Evaluate };
        await store.PutExecutionTypeAsync(type);

        var act = () => store.PutExecutionTypeAsync(type with { BaseType = ExecutionBaseType.Unset });

        await act.ShouldFailWith(MetadataErrorCode.Unimplemented);
    }

    /// <summary>GetTypes return empty lists when store is new.</summary>
    [Fact]
    public async Task GetTypes_return_empty_lists_when_store_is_new()
    {
        await using var store = await factory.OpenEmptyAsync();

        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
        (await store.GetExecutionTypesAsync()).Should().BeEmpty();
        (await store.GetContextTypesAsync()).Should().BeEmpty();
    }

    /// <summary>GetArtifactTypes hides system types when base types are used.</summary>
    [Fact]
    public async Task GetArtifactTypes_hides_system_types_when_base_types_are_used()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = Some.ArtifactType() with { BaseType = ArtifactBaseType.Dataset };
        var executionType = Some.ExecutionType() with { BaseType = ExecutionBaseType.Process };
        await store.PutArtifactTypeAsync(artifactType);
        await store.PutExecutionTypeAsync(executionType);

        (await store.GetArtifactTypesAsync()).Select(t => t.Name).Should().Equal(artifactType.Name);
        (await store.GetExecutionTypesAsync()).Select(t => t.Name).Should().Equal(executionType.Name);
    }

    /// <summary>GetArtifactTypes lists types by id.</summary>
    [Fact]
    public async Task GetArtifactTypes_lists_types_by_id()
    {
        await using var store = await factory.OpenEmptyAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await store.PutArtifactTypeAsync(Some.ArtifactType()));
        }

        (await store.GetArtifactTypesAsync()).Select(t => t.StoredId).Should().Equal(ids.Order());
    }

    /// <summary>GetArtifactTypesById skips unknown ids and other kinds.</summary>
    [Fact]
    public async Task GetArtifactTypesById_skips_unknown_ids_and_other_kinds()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactTypeId = await store.PutArtifactTypeAsync(Some.ArtifactType());
        var executionTypeId = await store.PutExecutionTypeAsync(Some.ExecutionType());

        var found = await store.GetArtifactTypesByIdAsync([artifactTypeId, executionTypeId, 987_654]);

        found.Select(t => t.Id).Should().Equal(artifactTypeId);
    }

    /// <summary>GetExecutionTypesById and GetContextTypesById return their kind.</summary>
    [Fact]
    public async Task GetExecutionTypesById_and_GetContextTypesById_return_their_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var executionTypeId = await store.PutExecutionTypeAsync(Some.ExecutionType());
        var contextTypeId = await store.PutContextTypeAsync(Some.ContextType());

        (await store.GetExecutionTypesByIdAsync([executionTypeId, contextTypeId])).Select(t => t.Id).Should().Equal(executionTypeId);
        (await store.GetContextTypesByIdAsync([executionTypeId, contextTypeId])).Select(t => t.Id).Should().Equal(contextTypeId);
    }

    /// <summary>PutArtifactType throws AlreadyExists when external id is used by another artifact type.</summary>
    [Fact]
    public async Task PutArtifactType_throws_AlreadyExists_when_external_id_is_used_by_another_artifact_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var externalId = Some.ExternalId();
        await store.PutArtifactTypeAsync(Some.ArtifactType() with { ExternalId = externalId });

        var act = () => store.PutArtifactTypeAsync(Some.ArtifactType() with { ExternalId = externalId });

        (await act.ShouldFailWith(MetadataErrorCode.AlreadyExists)).Message.Should().Contain(externalId);
        (await store.GetArtifactTypesAsync()).Should().ContainSingle();
    }

    /// <summary>PutContextType throws AlreadyExists when external id is used by a type of another kind.</summary>
    [Fact]
    public async Task PutContextType_throws_AlreadyExists_when_external_id_is_used_by_a_type_of_another_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        var externalId = Some.ExternalId();
        await store.PutExecutionTypeAsync(Some.ExecutionType() with { ExternalId = externalId });

        var act = () => store.PutContextTypeAsync(Some.ContextType() with { ExternalId = externalId });

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetContextTypesAsync()).Should().BeEmpty();
    }

    /// <summary>GetArtifactTypesByExternalId returns the matching types.</summary>
    [Fact]
    public async Task GetArtifactTypesByExternalId_returns_the_matching_types()
    {
        await using var store = await factory.OpenEmptyAsync();
        var first = Some.ArtifactType() with { ExternalId = Some.ExternalId() };
        var second = Some.ArtifactType() with { ExternalId = Some.ExternalId() };
        var firstId = await store.PutArtifactTypeAsync(first);
        var secondId = await store.PutArtifactTypeAsync(second);
        await store.PutArtifactTypeAsync(Some.ArtifactType() with { ExternalId = Some.ExternalId() });

        var found = await store.GetArtifactTypesByExternalIdAsync([first.ExternalId!, second.ExternalId!, "missing"]);

        found.Select(t => t.StoredId).Should().BeEquivalentTo([firstId, secondId]);
    }

    /// <summary>GetTypesByExternalId return empty lists when nothing matches.</summary>
    [Fact]
    public async Task GetTypesByExternalId_return_empty_lists_when_nothing_matches()
    {
        await using var store = await factory.OpenEmptyAsync();
        await store.PutArtifactTypeAsync(Some.ArtifactType() with { ExternalId = "x" });

        (await store.GetArtifactTypesByExternalIdAsync(["y"])).Should().BeEmpty();
        (await store.GetExecutionTypesByExternalIdAsync(["x"])).Should().BeEmpty();
        (await store.GetContextTypesByExternalIdAsync(["x"])).Should().BeEmpty();
    }

    /// <summary>GetTypesByExternalId throw InvalidArgument when an external id is empty.</summary>
    [Fact]
    public async Task GetTypesByExternalId_throw_InvalidArgument_when_an_external_id_is_empty()
    {
        await using var store = await factory.OpenEmptyAsync();

        await ((Func<Task>)(() => store.GetArtifactTypesByExternalIdAsync(["a", string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetExecutionTypesByExternalIdAsync([string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await ((Func<Task>)(() => store.GetContextTypesByExternalIdAsync([string.Empty]))).ShouldFailWith(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>PutArtifactType keeps first description when put again.</summary>
    [Fact]
    public async Task PutArtifactType_keeps_first_description_when_put_again()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType() with { Description = "first" };
        await store.PutArtifactTypeAsync(type);

        await store.PutArtifactTypeAsync(type with { Description = "second" });

        (await store.GetArtifactTypeAsync(type.Name)).Description.Should().Be("first");
    }

    /// <summary>PutArtifactType sets external id when put again.</summary>
    [Fact]
    public async Task PutArtifactType_sets_external_id_when_put_again()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType();
        await store.PutArtifactTypeAsync(type);
        var externalId = Some.ExternalId();

        await store.PutArtifactTypeAsync(type with { ExternalId = externalId });

        (await store.GetArtifactTypeAsync(type.Name)).ExternalId.Should().Be(externalId);
    }

    /// <summary>PutTypes returns ids in request order for every kind.</summary>
    [Fact]
    public async Task PutTypes_returns_ids_in_request_order_for_every_kind()
    {
        await using var store = await factory.OpenEmptyAsync();
        ArtifactType[] artifactTypes = [Some.ArtifactType(), Some.ArtifactType()];
        ExecutionType[] executionTypes = [Some.ExecutionType()];
        ContextType[] contextTypes = [Some.ContextType(), Some.ContextType(), Some.ContextType()];

        var result = await store.PutTypesAsync(artifactTypes, executionTypes, contextTypes);

        result.ArtifactTypeIds.Should().HaveCount(2);
        result.ExecutionTypeIds.Should().HaveCount(1);
        result.ContextTypeIds.Should().HaveCount(3);
        for (var i = 0; i < artifactTypes.Length; i++)
        {
            (await store.GetArtifactTypeAsync(artifactTypes[i].Name)).Id.Should().Be(result.ArtifactTypeIds[i]);
        }

        (await store.GetExecutionTypeAsync(executionTypes[0].Name)).Id.Should().Be(result.ExecutionTypeIds[0]);
        for (var i = 0; i < contextTypes.Length; i++)
        {
            (await store.GetContextTypeAsync(contextTypes[i].Name)).Id.Should().Be(result.ContextTypeIds[i]);
        }
    }

    /// <summary>PutTypes gives same id when identical type is repeated.</summary>
    [Fact]
    public async Task PutTypes_gives_same_id_when_identical_type_is_repeated()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ArtifactType(("a", PropertyKind.Int));

        var result = await store.PutTypesAsync([type, type], [], []);

        result.ArtifactTypeIds.Should().HaveCount(2);
        result.ArtifactTypeIds[1].Should().Be(result.ArtifactTypeIds[0]);
    }

    /// <summary>PutTypes stores nothing when one type conflicts.</summary>
    [Fact]
    public async Task PutTypes_stores_nothing_when_one_type_conflicts()
    {
        await using var store = await factory.OpenEmptyAsync();
        var stored = Some.ContextType(("a", PropertyKind.Int));
        await store.PutContextTypeAsync(stored);
        var before = await store.SnapshotAsync();

        var act = () => store.PutTypesAsync([Some.ArtifactType()], [Some.ExecutionType()], [ContextType.Named(stored.Name).WithProperty("a", PropertyKind.String)]);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        await store.ShouldBeUnchangedSinceAsync(before);
    }
    /// <summary>PutTypes applies CanAddFields to every type.</summary>
    [Fact]
    public async Task PutTypes_applies_CanAddFields_to_every_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = Some.ArtifactType(("a", PropertyKind.Int));
        var contextType = Some.ContextType(("a", PropertyKind.Int));
        await store.PutTypesAsync([artifactType], [], [contextType]);

        await store.PutTypesAsync([artifactType.WithProperty("b", PropertyKind.Int)], [], [contextType.WithProperty("c", PropertyKind.Double)], CanAdd);

        (await store.GetArtifactTypeAsync(artifactType.Name)).Properties.Keys.Should().BeEquivalentTo(["a", "b"]);
        (await store.GetContextTypeAsync(contextType.Name)).Properties.Keys.Should().BeEquivalentTo(["a", "c"]);
    }

    /// <summary>PutTypes stores nothing when two types share an external id.</summary>
    [Fact]
    public async Task PutTypes_stores_nothing_when_two_types_share_an_external_id()
    {
        await using var store = await factory.OpenEmptyAsync();

        var act = () => store.PutTypesAsync([Some.ArtifactType() with { ExternalId = "same" }], [Some.ExecutionType() with { ExternalId = "same" }], []);

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetArtifactTypesAsync()).Should().BeEmpty();
        (await store.GetExecutionTypesAsync()).Should().BeEmpty();
    }

    /// <summary>GetExecutionType round trips input and output signatures.</summary>
    [Fact]
    public async Task GetExecutionType_round_trips_input_and_output_signatures()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType() with { InputType = """{"any":{}}""", OutputType = """{"none":{}}""" };

        await store.PutExecutionTypeAsync(type);

        var stored = await store.GetExecutionTypeAsync(type.Name);
        System.Text.Json.JsonElement.DeepEquals(Parse(stored.InputType!), Parse(type.InputType)).Should().BeTrue();
        System.Text.Json.JsonElement.DeepEquals(Parse(stored.OutputType!), Parse(type.OutputType)).Should().BeTrue();
    }

    /// <summary>PutArtifactType throws AlreadyExists when put again with an external id of another type.</summary>
    [Fact]
    public async Task PutArtifactType_throws_AlreadyExists_when_put_again_with_an_external_id_of_another_type()
    {
        await using var store = await factory.OpenEmptyAsync();
        await store.PutArtifactTypeAsync(Some.ArtifactType() with { ExternalId = "taken" });
        var type = Some.ArtifactType();
        await store.PutArtifactTypeAsync(type);

        var act = () => store.PutArtifactTypeAsync(type with { ExternalId = "taken" });

        await act.ShouldFailWith(MetadataErrorCode.AlreadyExists);
        (await store.GetArtifactTypeAsync(type.Name)).ExternalId.Should().BeNull();
    }

    private static System.Text.Json.JsonElement Parse(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
