using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// What a stored value reads back as: doubles (NaN, infinities, negative zero), text that is not well-formed UTF-16,
/// and struct values in canonical form. No value is silently changed; what cannot be kept is refused.
/// </summary>
public abstract class ValueConformance(IStoreFactory factory) : IDisposable
{
    // Each holds an unpaired surrogate: a high one at the end, a high one inside, a low one alone. Tests take an index,
    // because theory arguments are serialized as UTF-8, which would replace the surrogate.
    private static readonly string[] InvalidUtf16 = ["a\uD800", "a\uD800b", "\uDC00"];

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>FromDouble refuses NaN with InvalidArgument.</summary>
    [Fact]
    public void FromDouble_refuses_NaN_with_InvalidArgument()
    {
        var direct = () => PropertyValue.FromDouble(double.NaN);
        var implicitly = () => (PropertyValue)double.NaN;

        direct.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        implicitly.Should().Throw<MetadataStoreException>().WithMessage("*NaN*");
    }

    /// <summary>Infinities round trip and filters see them.</summary>
    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task Infinities_round_trip_and_filters_see_them(double value)
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("d", PropertyKind.Double));
        var id = await store.PutArtifactAsync(Artifact.Of(type.Id!.Value).With("d", value).WithCustom("d", value));
        await store.PutArtifactAsync(Artifact.Of(type.Id!.Value).With("d", 0.5));

        var stored = await store.GetArtifactAsync(id);
        var op = value > 0 ? ">" : "<";
        var found = await store.ListArtifactsAsync(new NodeListOptions { Filter = $"properties.d.double_value {op} {(value > 0 ? "1e308" : "-1e308")}" });

        stored.Properties["d"].DoubleValue.Should().Be(value);
        stored.CustomProperties["d"].DoubleValue.Should().Be(value);
        found.Items.Select(a => a.Id).Should().Equal(id);
    }

    /// <summary>Negative zero is held and read back as zero.</summary>
    [Fact]
    public async Task Negative_zero_is_held_and_read_back_as_zero()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("d", PropertyKind.Double));

        var value = PropertyValue.FromDouble(-0.0);
        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.Id!.Value).With("d", value)));

        double.IsNegative(value.DoubleValue).Should().BeFalse("negative zero is normalised at construction");
        double.IsNegative(stored.Properties["d"].DoubleValue).Should().BeFalse();
        stored.Properties["d"].Should().Be(value);
    }

    /// <summary>Property values refuse text that is not valid UTF16.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Property_values_refuse_text_that_is_not_valid_UTF16(int which)
    {
        var text = InvalidUtf16[which];
        var asString = () => PropertyValue.FromString(text);
        var asProtoType = () => PropertyValue.FromProto("type.googleapis.com/" + text, [1]);
        var inStruct = () => PropertyValue.FromStructJson("{\"k\":\"" + text + "\"}");
        var escapedInStruct = () => PropertyValue.FromStructJson("{\"k\":\"\\ud800\"}");
        var escapedKey = () => PropertyValue.FromStructJson("{\"\\udc00\":1}");

        foreach (var act in new Func<PropertyValue>[] { asString, asProtoType, inStruct, escapedInStruct, escapedKey })
        {
            act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        }
    }

    /// <summary>Every stored string refuses text that is not valid UTF16.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Every_stored_string_refuses_text_that_is_not_valid_UTF16(int which)
    {
        var bad = InvalidUtf16[which];
        await using var store = await factory.OpenEmptyAsync();
        var artifactType = await store.AddArtifactTypeAsync(("p", PropertyKind.String));
        var executionType = await store.AddExecutionTypeAsync();
        var contextType = await store.AddContextTypeAsync();
        var artifactId = await store.PutArtifactAsync(Artifact.Of(artifactType.Id!.Value, "u"));
        var executionId = await store.PutSingleExecutionAsync(Execution.Of(executionType.Id!.Value));
        var before = await store.SnapshotAsync();
        var a = artifactType.Id!.Value;

        var calls = new (string What, Func<Task> Call)[]
        {
            ("artifact name", () => store.PutArtifactsAsync([Artifact.Of(a, "u", bad)])),
            ("artifact URI", () => store.PutArtifactsAsync([Artifact.Of(a, bad)])),
            ("artifact external id", () => store.PutArtifactsAsync([Artifact.Of(a) with { ExternalId = bad }])),
            ("artifact type name", () => store.PutArtifactsAsync([Artifact.Of(bad)])),
            ("custom property name", () => store.PutArtifactsAsync([Artifact.Of(a).WithCustom(bad, 1)])),
            ("typed property name", () => store.PutArtifactsAsync([Artifact.Of(a).With(bad, 1)])),
            ("update of a name", () => store.PutArtifactsAsync([Artifact.Of(a, "u", bad) with { Id = artifactId }])),
            ("execution name", () => store.PutExecutionsAsync([Execution.Of(executionType.Id!.Value, name: bad)])),
            ("context name", () => store.PutContextsAsync([Context.Of(contextType.Id!.Value, bad)])),
            ("type name", () => store.PutArtifactTypeAsync(ArtifactType.Named(bad))),
            ("type version", () => store.PutArtifactTypeAsync(ArtifactType.Named(Some.TypeName(), bad))),
            ("type description", () => store.PutContextTypeAsync(ContextType.Named(Some.TypeName()) with { Description = bad })),
            ("type external id", () => store.PutExecutionTypeAsync(ExecutionType.Named(Some.TypeName()) with { ExternalId = bad })),
            ("type property name", () => store.PutArtifactTypeAsync(ArtifactType.Named(Some.TypeName()).WithProperty(bad, PropertyKind.Int))),
            ("types in one call", () => store.PutTypesAsync([ArtifactType.Named(bad)], [], [])),
            ("event path key", () => store.PutEventsAsync([Event.Of(EventType.Input, artifactId, executionId).WithPath(bad, 0)])),
            ("event in PutExecution", () => store.PutExecutionAsync(Execution.Of(executionType.Id!.Value), [new ArtifactAndEvent(null, Event.Of(EventType.Input, artifactId).WithPath(bad))], [])),
            ("context in PutExecution", () => store.PutExecutionAsync(Execution.Of(executionType.Id!.Value), [], [Context.Of(contextType.Name, bad)])),
            ("artifact in PutLineageSubgraph", () => store.PutLineageSubgraphAsync([], [Artifact.Of(a, bad)], [], [])),
            ("lookup by URI", () => store.GetArtifactsByUriAsync([bad])),
            ("lookup by external id", () => store.GetArtifactsByExternalIdAsync([bad])),
            ("lookup of a type", () => store.GetArtifactTypeAsync(bad)),
            ("lookup by type and name", () => store.GetArtifactByTypeAndNameAsync(artifactType.Name, null, bad)),
            ("listing by type", () => store.ListArtifactsByTypeAsync(bad)),
            ("filter literal", () => store.ListArtifactsAsync(new NodeListOptions { Filter = $"uri = '{bad}'" })),
        };

        foreach (var (what, call) in calls)
        {
            var error = (await call.Should().ThrowAsync<MetadataStoreException>(what)).Which;
            error.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument, "{0}: {1}", what, error.Message);
            error.Message.Should().Contain("UTF-16", what);
        }

        await store.ShouldBeUnchangedSinceAsync(before);
    }

    /// <summary>Names differing only in their lone surrogate do not collide they are refused.</summary>
    [Fact]
    public async Task Names_differing_only_in_their_lone_surrogate_do_not_collide_they_are_refused()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync();

        var first = () => store.PutArtifactsAsync([Artifact.Of(type.Id!.Value, "u", "a\uD800")]);
        var second = () => store.PutArtifactsAsync([Artifact.Of(type.Id!.Value, "u", "a\uD801")]);

        await first.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        await second.ShouldFailWith(MetadataErrorCode.InvalidArgument);
        (await store.AllArtifactsAsync()).Should().BeEmpty();
    }

    /// <summary>Surrogate pairs round trip exactly.</summary>
    [Fact]
    public async Task Surrogate_pairs_round_trip_exactly()
    {
        await using var store = await factory.OpenEmptyAsync();
        const string Text = "model-\U0001F600-\U00010437";
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.String));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.Id!.Value, Text, Text).With("p", Text).WithCustom(Text, Text)));

        stored.Name.Should().Be(Text);
        stored.Uri.Should().Be(Text);
        stored.Properties["p"].StringValue.Should().Be(Text);
        stored.CustomProperties[Text].StringValue.Should().Be(Text);
    }

    /// <summary>Struct values with equal content are equal however spelled.</summary>
    [Fact]
    public void Struct_values_with_equal_content_are_equal_however_spelled()
    {
        var spelled = PropertyValue.FromStructJson("{\"n\": 1e2, \"lr\": 1.0, \"z\": -0.0, \"l\": [1.50, {\"b\": true, \"a\": null}]}");
        var canonical = PropertyValue.FromStructJson("""{"l":[1.5,{"a":null,"b":true}],"lr":1,"n":100,"z":0}""");

        spelled.Should().Be(canonical);
        spelled.GetHashCode().Should().Be(canonical.GetHashCode());
        spelled.StructJson.Should().Be("""{"l":[1.5,{"a":null,"b":true}],"lr":1,"n":100,"z":0}""");
        PropertyValue.FromStructJson("{\"lr\": 1.0, \"n\": 1e2}").StructJson.Should().Be("""{"lr":1,"n":100}""");
    }

    /// <summary>Struct values read back equal to what was put.</summary>
    [Fact]
    public async Task Struct_values_read_back_equal_to_what_was_put()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("s", PropertyKind.Struct));
        var value = PropertyValue.FromStructJson("{\"lr\": 1.0, \"n\": 1e2, \"opt\": {\"b\": [1e-3, \"x\"], \"a\": false}}");

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.Id!.Value).With("s", value).WithCustom("s", value)));

        stored.Properties["s"].Should().Be(value);
        stored.CustomProperties["s"].Should().Be(value);
        stored.Properties["s"].StructJson.Should().Be(value.StructJson);
    }

    /// <summary>Re putting an equal struct spelled differently does not move the last update time.</summary>
    [Fact]
    public async Task Re_putting_an_equal_struct_spelled_differently_does_not_move_the_last_update_time()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("s", PropertyKind.Struct));
        var id = await store.PutArtifactAsync(Artifact.Of(type.Id!.Value, "u").With("s", PropertyValue.FromStructJson("{\"lr\": 1.0, \"n\": 1e2}")));
        var read = await store.GetArtifactAsync(id);

        await store.PutArtifactAsync(read);
        var afterReadBack = await store.GetArtifactAsync(id);
        await store.PutArtifactAsync(read.With("s", PropertyValue.FromStructJson("{ \"n\" : 100.000, \"lr\" : 1 }")));
        var afterRespelled = await store.GetArtifactAsync(id);
        await store.PutArtifactAsync(read.With("s", PropertyValue.FromStructJson("{\"n\": 101, \"lr\": 1}")));
        var afterChange = await store.GetArtifactAsync(id);

        afterReadBack.LastUpdateTime.Should().Be(read.LastUpdateTime);
        afterRespelled.LastUpdateTime.Should().Be(read.LastUpdateTime);
        afterChange.LastUpdateTime.Should().BeAfter(read.LastUpdateTime!.Value, "a real change moves the time, so the test can fail");
    }

    /// <summary>FromStructJson refuses what the store cannot keep.</summary>
    [Theory]
    [InlineData("{\"x\": 1e400}", "finite")]
    [InlineData("{\"x\": [-1e400]}", "finite")]
    [InlineData("{\"x\": 1, \"x\": 2}", "more than once")]
    [InlineData("[1]", "object")]
    [InlineData("{\"x\": ", "JSON")]
    public void FromStructJson_refuses_what_the_store_cannot_keep(string json, string message)
    {
        var act = () => PropertyValue.FromStructJson(json);

        var error = act.Should().Throw<MetadataStoreException>().Which;
        error.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        error.Message.Should().Contain(message);
    }

    /// <summary>FromStructJson refuses nesting beyond the limit and names it.</summary>
    [Theory]
    [InlineData(33)]
    [InlineData(51)]
    [InlineData(64)]
    [InlineData(200)]
    public void FromStructJson_refuses_nesting_beyond_the_limit_and_names_it(int depth)
    {
        var act = () => PropertyValue.FromStructJson(Nested(depth));
        var element = System.Text.Json.JsonDocument.Parse(Nested(depth), new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 }).RootElement;
        var fromElement = () => PropertyValue.FromStruct(element);

        foreach (var call in new[] { act, fromElement })
        {
            var error = call.Should().Throw<MetadataStoreException>().Which;
            error.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
            error.Message.Should().Contain("32 levels");
        }
    }

    /// <summary>Struct values at the nesting limit round trip.</summary>
    [Fact]
    public async Task Struct_values_at_the_nesting_limit_round_trip()
    {
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("s", PropertyKind.Struct));
        var value = PropertyValue.FromStructJson(Nested(32));

        var stored = await store.GetArtifactAsync(await store.PutArtifactAsync(Artifact.Of(type.Id!.Value).With("s", value)));

        stored.Properties["s"].Should().Be(value);
    }

    /// <summary>Objects and arrays nested <paramref name="depth"/> levels deep, the root object being level 1.</summary>
    private static string Nested(int depth)
    {
        var text = "1";
        for (var level = depth; level >= 2; level--)
        {
            text = level % 2 == 0 ? $"[{text}]" : $"{{\"k\":{text}}}";
        }

        return $"{{\"root\":{text}}}";
    }
}
