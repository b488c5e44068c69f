using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Input MLMD could not read back or that names nothing: execution type signatures that are no ArtifactStructType,
/// type ids that name no stored type, blank type names, filters beyond their limit.
/// </summary>
public abstract class InputCheckConformance(IStoreFactory factory) : IDisposable
{
    /// <summary>Signatures MLMD parses as ArtifactStructType, in lowerCamelCase and proto field names.</summary>
    public static TheoryData<string> ValidSignatures =>
    [
        """{"any":{}}""",
        """{"none":{}}""",
        """{}""",
        """{"simple":{"name":"Dataset","version":"1","id":"12","externalId":"e","properties":{"split":"STRING","n":1},"baseType":"DATASET"}}""",
        """{"simple":{"id":12,"external_id":"e","base_type":2,"description":null}}""",
        """{"unionType":{"candidates":[{"none":{}},{"simple":{"name":"Schema"}}]}}""",
        """{"union_type":{"candidates":[]}}""",
        """{"intersection":{"constraints":[{"dict":{"properties":{"schema":{"any":{}}},"extraPropertiesType":{"any":{}}}}]}}""",
        """{"list":{"element":{"simple":{"name":"Examples"}}}}""",
        """{"list":{}}""",
        """{"tuple":{"elements":[{"any":{}},{"none":{}}]}}""",
        """{"dict":{"properties":{"data":{"list":{"element":{"any":{}}}}},"noneTypeNotRequired":true,"extra_properties_type":null}}""",
    ];

    /// <summary>Signatures MLMD's JSON parser refuses, so MLMD could not list execution types any more.</summary>
    public static TheoryData<string> InvalidSignatures =>
    [
        "not json",
        """{"foo":1}""",
        """[]""",
        """ "any" """,
        """{"any":{},"none":{}}""",
        """{"any":{"x":1}}""",
        """{"any":[]}""",
        """{"simple":{"name":1}}""",
        """{"simple":{"properties":{"p":"FLOAT"}}}""",
        """{"simple":{"properties":{"p":7}}}""",
        """{"simple":{"baseType":"DATASETS"}}""",
        """{"simple":{"id":1.5}}""",
        """{"simple":{"id":"x"}}""",
        """{"unionType":{"candidates":{}}}""",
        """{"unionType":{"candidates":[null]}}""",
        """{"tuple":{"elements":[{"bogus":{}}]}}""",
        """{"list":{"element":[]}}""",
        """{"dict":{"properties":{"a":1}}}""",
        """{"dict":{"noneTypeNotRequired":"true"}}""",
        """{"dict":{"properties":{"a":{"dict":{"properties":{"b":{"list":{"element":{"simple":{"nam":"x"}}}}}}}}}}""",
        """{"any":{},"any":{}}""",
    ];

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>PutExecutionType keeps signatures that are ArtifactStructType json.</summary>
    [Theory]
    [MemberData(nameof(ValidSignatures))]
    public async Task PutExecutionType_keeps_signatures_that_are_ArtifactStructType_json(string signature)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = Some.ExecutionType() with { InputType = signature, OutputType = signature };

        var id = await store.PutExecutionTypeAsync(type);
        var stored = (await store.GetExecutionTypesByIdAsync([id])).Should().ContainSingle().Subject;

        stored.InputType.Should().Be(signature);
        stored.OutputType.Should().Be(signature);
    }

    /// <summary>PutExecutionType refuses signatures that are not ArtifactStructType json.</summary>
    [Theory]
    [MemberData(nameof(InvalidSignatures))]
    public async Task PutExecutionType_refuses_signatures_that_are_not_ArtifactStructType_json(string signature)
    {
        await using var store = await factory.OpenEmptyAsync();
        var before = await store.GetExecutionTypesAsync();

        var asInput = () => store.PutExecutionTypeAsync(Some.ExecutionType() with { InputType = signature });
        var asOutput = () => store.PutTypesAsync([], [Some.ExecutionType() with { OutputType = signature }], []);

        (await asInput.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("InputType").And.Contain("ArtifactStructType");
        (await asOutput.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("OutputType");
        (await store.GetExecutionTypesAsync()).Should().BeEquivalentTo(before);
    }

    /// <summary>Putting a node whose type id names no stored type is NotFound.</summary>
    [Fact]
    public async Task Putting_a_node_whose_type_id_names_no_stored_type_is_NotFound()
    {
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync();
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var before = await store.SnapshotAsync();
        var unknown = Math.Max(Math.Max(artifactType.Id!.Value, executionType.Id!.Value), contextType.Id!.Value) + 1000;

        Func<Task>[] calls =
        [
            () => store.PutArtifactsAsync([Artifact.Of(unknown)]),
            () => store.PutExecutionsAsync([Execution.Of(unknown)]),
            () => store.PutContextsAsync([Context.Of(unknown, "c")]),

            // A type of another kind names no type of this kind.
            () => store.PutArtifactsAsync([Artifact.Of(executionType.Id!.Value)]),
            () => store.PutContextsAsync([Context.Of(artifactType.Id!.Value, "c")]),
            () => store.PutExecutionAsync(Execution.Of(unknown), [], []),
            () => store.PutLineageSubgraphAsync([], [Artifact.Of(unknown)], [], []),
        ];

        foreach (var call in calls)
        {
            (await call.ShouldFailWith(MetadataErrorCode.NotFound)).Message.Should().Contain("does not name a stored");
        }

        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>PutType refuses a name that is only white space.</summary>
    [Theory]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00A0\u2003")]
    public async Task PutType_refuses_a_name_that_is_only_white_space(string name)
    {
        await using var store = await factory.OpenEmptyAsync();

        Func<Task>[] calls =
        [
            () => store.PutArtifactTypeAsync(ArtifactType.Named(name)),
            () => store.PutExecutionTypeAsync(ExecutionType.Named(name)),
            () => store.PutContextTypeAsync(ContextType.Named(name)),
            () => store.PutTypesAsync([ArtifactType.Named(Some.TypeName())], [], [ContextType.Named(name)]),
        ];

        foreach (var call in calls)
        {
            (await call.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message.Should().Contain("white space");
        }

        (await store.GetArtifactTypesAsync()).Should().NotContain(t => string.IsNullOrWhiteSpace(t.Name));
        (await store.GetContextTypesAsync()).Should().NotContain(t => string.IsNullOrWhiteSpace(t.Name));
    }

    /// <summary>EventStep prints a key without a leading dot.</summary>
    [Fact]
    public void EventStep_prints_a_key_without_a_leading_dot()
    {
        EventStep.ForKey("model").ToString().Should().Be("model");
        EventStep.ForIndex(3).ToString().Should().Be("[3]");
    }

    /// <summary>A filter of 500 conditions runs and one more is refused naming the real limit.</summary>
    [Fact]
    public async Task A_filter_of_500_conditions_runs_and_one_more_is_refused_naming_the_real_limit()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();
        var id = await store.PutArtifactAsync(Artifact.Of(type.Id!.Value, "u", "n0"));

        static string Conditions(int count) => string.Join(" AND ", Enumerable.Range(1, count).Select(i => $"name != 'n{i}'"));

        var page = await store.ListArtifactsAsync(new NodeListOptions { Filter = Conditions(500) });
        var tooMany = () => store.ListArtifactsAsync(new NodeListOptions { Filter = Conditions(501) });

        page.Items.Select(a => a.Id).Should().Equal(id);
        var message = (await tooMany.ShouldFailWith(MetadataErrorCode.InvalidArgument)).Message;
        message.Should().Contain("2000 syntax nodes").And.Contain("500 conditions");
    }
}
