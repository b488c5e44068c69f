using FluentAssertions;
using MetadataStore.Filtering;
using MetadataStore.Query;
using MetadataStore.Storage;
using Xunit;

namespace MetadataStore.Tests.Query;

/// <summary>The typed builder produces the same syntax tree as the parser.</summary>
public sealed class FilterBuilderTest
{
    public static TheoryData<string, string> Cases => new()
    {
        { Filter.Id != 1, "id != 1" },
        { Filter.Id.In(1, 3), "id IN (1, 3)" },
        { Filter.TypeId == 5, "type_id = 5" },
        { Filter.Type == "bar" & Filter.Name.Like("foo%"), "type = 'bar' AND name LIKE 'foo%'" },
        { !(Filter.CreateTime < 1 | Filter.LastUpdateTime < 1), "NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)" },
        { Filter.Uri.IsNotNull(), "uri IS NOT NULL" },
        { Filter.State == ArtifactState.Live, "state = LIVE" },
        { Filter.State.In(ArtifactState.Pending, ArtifactState.MarkedForDeletion), "state IN (PENDING, MARKED_FOR_DELETION)" },
        { Filter.LastKnownState.NotIn(ExecutionState.Failed, ExecutionState.Canceled), "last_known_state NOT IN (FAILED, CANCELED)" },
        { Filter.LastKnownState != ExecutionState.Running, "last_known_state != RUNNING" },
        { Filter.Context("a").Name == "my_run" & Filter.Context("b").Name == "my_pipeline", "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'" },
        { Filter.Artifact("a").State.IsNull(), "artifacts_a.state IS NULL" },
        { Filter.Execution("a").LastKnownState == ExecutionState.New, "executions_a.last_known_state = NEW" },
        { Filter.ParentContext("p").Id == 5 | Filter.ChildContext("c").Type == "Run", "parent_contexts_p.id = 5 OR child_contexts_c.type = 'Run'" },
        { Filter.Event("0").Type == EventType.PendingOutput & Filter.Event("0").Time >= 10, "events_0.type = PENDING_OUTPUT AND events_0.milliseconds_since_epoch >= 10" },
        { Filter.Property("accuracy").DoubleValue > 0.95, "properties.accuracy.double_value > 0.95" },
        { Filter.CustomProperty("my:custom.property").BoolValue == true, "custom_properties.`my:custom.property`.bool_value = true" },
        { (Filter.Property("p1").IntValue + 2) * 1 == 2, "(properties.p1.int_value + 2) * 1 = 2" },
        { -Filter.Id / 2.5 - 1 < Filter.TypeId, "- id / 2.5 - 1 < type_id" },
        { Filter.Name == "it's \\ \"q\"", "name = \"it\\'s \\\\ \\\"q\\\"\"" },
        { Filter.Property("s").StringValue.NotLike("a_%"), "properties.s.string_value NOT LIKE 'a_%'" },
        { Filter.Parse("id = 1 and name = 'x'"), "id = 1 AND name = 'x'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToString_parses_to_the_same_tree_when_built_in_code(string built, string written)
    {
        built.Should().Be(FilterPrinter.Print(FilterParser.Parse(written)));
    }

    [Fact]
    public void Builder_refuses_names_that_cannot_be_written()
    {
        var alias = () => Filter.Context("a b");
        alias.Should().Throw<MetadataStoreException>().Where(e => e.ErrorCode == MetadataErrorCode.InvalidArgument);
        var property = () => Filter.Property("a`b");
        property.Should().Throw<MetadataStoreException>().Where(e => e.ErrorCode == MetadataErrorCode.InvalidArgument);
        var empty = () => Filter.Id.In();
        empty.Should().Throw<MetadataStoreException>();
        var nan = () => Filter.Id == double.NaN;
        nan.Should().Throw<MetadataStoreException>();
    }

    [Fact]
    public void Builder_keeps_long_chains_flat_and_refuses_oversized_trees()
    {
        Filter chain = Filter.Id > 0;
        for (int i = 1; i < 400; i++)
        {
            chain &= Filter.Name != "n" + i;
        }

        FilterQuery.Compile(chain, NodeKind.Artifact).Should().NotBeNull();
        var huge = () =>
        {
            Filter f = Filter.Id > 0;
            for (int i = 0; i < 1_000; i++)
            {
                f |= Filter.Id == i;
            }
        };
        huge.Should().Throw<MetadataStoreException>().WithMessage("*at most 2000 syntax nodes*");
    }

    [Fact]
    public void Compile_reports_unknown_name_when_builder_field_does_not_fit_kind()
    {
        string filter = Filter.Uri == "x";
        var act = () => FilterQuery.Compile(filter, NodeKind.Execution);
        act.Should().Throw<MetadataStoreException>().WithMessage("*Unrecognized name: uri*");
    }
}
