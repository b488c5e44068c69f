using FluentAssertions;
using MetadataStore.Filtering;
using Xunit;

namespace MetadataStore.Tests.Api;

/// <summary>The model without a store: equality by content, typed event paths, and the error rule of factories, the builder and the filter builder.</summary>
public sealed class ModelTest
{
    [Fact]
    public void Nodes_with_equal_content_are_equal_and_hash_alike()
    {
        var a = Artifact.Of("Model", "file:///m", "m").With("accuracy", 0.9).WithCustom("tag", "gold") with { Id = 3 };
        var b = Artifact.Of("Model", "file:///m", "m").With("accuracy", 0.9).WithCustom("tag", "gold") with { Id = 3 };

        a.Should().Be(b);
        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.With("accuracy", 0.8).Should().NotBe(b);
        a.WithCustom("other", 1).Should().NotBe(b);
        (a with { Uri = "file:///n" }).Should().NotBe(b);
        Execution.Of("T").With("p", 1).Should().Be(Execution.Of("T").With("p", 1));
        Context.Of("C", "x").WithCustom("k", true).Should().NotBe(Context.Of("C", "x").WithCustom("k", false));
        ((MetadataNode)Context.Of("C", "x")).Should().NotBe(Execution.Of("C") with { Name = "x" });
    }

    [Fact]
    public void Types_with_equal_property_schemas_are_equal()
    {
        var a = ArtifactType.Named("Model").WithProperty("accuracy", PropertyKind.Double).WithProperty("layers", PropertyKind.Int);
        var b = ArtifactType.Named("Model").WithProperty("layers", PropertyKind.Int).WithProperty("accuracy", PropertyKind.Double);

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.WithProperty("accuracy", PropertyKind.String).Should().NotBe(b);
        (a with { BaseType = ArtifactBaseType.Model }).Should().NotBe(b);
        ExecutionType.Named("T").WithProperty("p", PropertyKind.Int).Should().Be(ExecutionType.Named("T").WithProperty("p", PropertyKind.Int));
    }

    [Fact]
    public void Events_results_pages_and_options_compare_lists_by_content()
    {
        Event.Of(EventType.Input, 1, 2).WithPath("examples", 0).Should().Be(Event.Of(EventType.Input, 1, 2).WithPath("examples", 0));
        Event.Of(EventType.Input, 1, 2).WithPath("examples", 1).Should().NotBe(Event.Of(EventType.Input, 1, 2).WithPath("examples", 0));
        new PutExecutionResult(1, [2, null], [3]).Should().Be(new PutExecutionResult(1, new List<long?> { 2, null }, new[] { 3L }));
        new PutExecutionResult(1, [2, null], [3]).GetHashCode().Should().Be(new PutExecutionResult(1, new List<long?> { 2, null }, new[] { 3L }).GetHashCode());
        new PutLineageSubgraphResult([1], [2], [3]).Should().Be(new PutLineageSubgraphResult([1], [2], [3]));
        new PutTypesResult([1], [], [3]).Should().NotBe(new PutTypesResult([1], [3], []));
        new NodePage<Artifact>([Artifact.Of("M")], "t").Should().Be(new NodePage<Artifact>([Artifact.Of("M")], "t"));
        new NodePage<Artifact>([Artifact.Of("M")], "t").Should().NotBe(new NodePage<Artifact>([Artifact.Of("M")], null));
        new PutNodesOptions { FieldMask = ["uri"] }.Should().Be(new PutNodesOptions { FieldMask = ["uri"] });
        var recorded = new RecordedExecution(Execution.Of("T"), new Dictionary<string, Artifact> { ["in"] = Artifact.Of("D") }, new Dictionary<string, Artifact>(), null);
        recorded.Should().Be(recorded with { Inputs = new Dictionary<string, Artifact> { ["in"] = Artifact.Of("D") } });
        recorded.Should().NotBe(recorded with { Inputs = new Dictionary<string, Artifact> { ["in"] = Artifact.Of("E") } });
    }

    [Fact]
    public void ToString_prints_contents_and_never_throws_for_an_unstored_node()
    {
        var text = Artifact.Of("Model").With("accuracy", 0.5).ToString();

        text.Should().Contain("accuracy = 0.5").And.Contain("TypeName = Model").And.NotContain("StoredId");
        new ArtifactType("Model").WithProperty("p", PropertyKind.Int).ToString().Should().Contain("p = Int");
        Event.Of(EventType.Input).WithPath("a", 1).ToString().Should().Contain("[ a, [1] ]");
    }

    [Fact]
    public void WithPath_takes_typed_key_and_index_steps()
    {
        var e = Event.Of(EventType.Output).WithPath("models", 0, 7L, EventStep.ForKey("best"));

        e.Path.Should().Equal(EventStep.ForKey("models"), EventStep.ForIndex(0), EventStep.ForIndex(7), EventStep.ForKey("best"));
        e.Path[1].IsIndex.Should().BeTrue();
        e.Path[0].Key.Should().Be("models");
    }

    [Fact]
    public void MetadataErrorCode_zero_is_None_and_the_rest_keep_the_status_numbers()
    {
        default(MetadataErrorCode).Should().Be(MetadataErrorCode.None);
        ((int)MetadataErrorCode.InvalidArgument).Should().Be(3);
        ((int)MetadataErrorCode.Unavailable).Should().Be(14);
    }

    [Fact]
    public void Factories_throw_ArgumentNullException_for_null_and_MetadataStoreException_for_bad_values()
    {
        ((Action)(() => Artifact.Of((string)null!))).Should().Throw<ArgumentNullException>().WithParameterName("typeName");
        ((Action)(() => Context.Of("C", null!))).Should().Throw<ArgumentNullException>().WithParameterName("name");
        ((Action)(() => Artifact.Of("M").With(null!, 1))).Should().Throw<ArgumentNullException>();
        ((Action)(() => Event.Of(EventType.Input).WithPath(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => PropertyValue.FromString(null!))).Should().Throw<ArgumentNullException>();

        ShouldBeInvalid(() => Artifact.Of(string.Empty));
        ShouldBeInvalid(() => Execution.Of(string.Empty));
        ShouldBeInvalid(() => Context.Of("C", string.Empty));
        ShouldBeInvalid(() => Artifact.Of("M").With(string.Empty, 1));
        ShouldBeInvalid(() => Context.Of("C", "c").WithCustom(string.Empty, 1));
        ShouldBeInvalid(() => ArtifactType.Named("M").WithProperty("p", PropertyKind.Unknown));
        ShouldBeInvalid(() => ContextType.Named("M").WithProperty(string.Empty, PropertyKind.Int));
        ShouldBeInvalid(() => PropertyValue.FromStructJson("[1, 2]"));
        ((Action)(() => _ = PropertyValue.FromInt(1).StringValue)).Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
    }

    [Fact]
    public void Filter_builder_throws_ArgumentNullException_for_null_and_MetadataStoreException_for_bad_values()
    {
        ((Action)(() => _ = Filter.Name == (FilterText)null!)).Should().Throw<ArgumentNullException>();
        ((Action)(() => _ = Filter.Id < (FilterNumber)null!)).Should().Throw<ArgumentNullException>();
        ((Action)(() => _ = Filter.And(Filter.Name == "a", null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => Filter.Id.In(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => Filter.Parse(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => Filter.Property(null!))).Should().Throw<ArgumentNullException>();

        ShouldBeInvalid(() => Filter.Parse("name = = 'x'"));
        ShouldBeInvalid(() => Filter.Context("not an alias"));
        ShouldBeInvalid(() => Filter.Property("a`b"));
        ShouldBeInvalid(() => Filter.Id.In());
        ShouldBeInvalid(() => _ = Filter.Id == double.NaN);
    }

    [Fact]
    public async Task Builder_throws_ArgumentNullException_for_null_and_MetadataStoreException_for_bad_values()
    {
        ((Action)(() => new MetadataStoreBuilder().UseSqlite(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => new MetadataStoreBuilder().UseSqliteFile(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => new MetadataStoreBuilder().UseLoggerFactory(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => new MetadataStoreBuilder().UseTimeProvider(null!))).Should().Throw<ArgumentNullException>();
        ShouldBeInvalid(() => new MetadataStoreBuilder().UseSqlite(" "));
        ShouldBeInvalid(() => new MetadataStoreBuilder().UseSqlite("Data Source=x;NoSuchKeyword=1"));
        ShouldBeInvalid(() => new MetadataStoreBuilder().UseSqliteFile(string.Empty));
        ShouldBeInvalid(() => new MetadataStoreBuilder().WithSchemaMode((SchemaMode)42));

        var open = new MetadataStoreBuilder().OpenAsync();

        var failure = await ((Func<Task>)(() => open)).Should().ThrowAsync<MetadataStoreException>();
        failure.Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
    }

    private static void ShouldBeInvalid(Action act) =>
        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
}
