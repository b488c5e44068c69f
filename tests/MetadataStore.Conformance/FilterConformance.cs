using FluentAssertions;
using MetadataStore.Filtering;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>Filters through the public API: listings, by-type and by-context listings, paging, the typed builder.</summary>
public abstract class FilterConformance(IStoreFactory factory) : IAsyncLifetime, IDisposable
{
    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    private IMetadataStore _store = null!;
    private long _run1, _run2;
    private long[] _models = [];
    private long _dataset, _train, _eval;

    /// <summary>Stores the nodes the filters are checked against.</summary>
    /// <returns>A task that ends when the data is stored.</returns>
    public async Task InitializeAsync()
    {
        _store = await factory.OpenEmptyAsync();
        await _store.PutArtifactTypeAsync(ArtifactType.Named("Model").WithProperty("accuracy", PropertyKind.Double).WithProperty("framework", PropertyKind.String));
        await _store.PutArtifactTypeAsync(ArtifactType.Named("Dataset"));
        await _store.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        await _store.PutContextTypeAsync(ContextType.Named("Experiment"));

        var models = new List<Artifact>();
        for (int i = 0; i < 10; i++)
        {
            Artifact model = Artifact.Of("Model", uri: $"file:///models/{i}", name: $"model-{i}").With("accuracy", 0.85 + (i * 0.01));
            if (i % 2 == 0)
            {
                model = model.With("framework", "torch");
            }

            if (i == 3)
            {
                model = model.WithCustom("approved", true).WithCustom("score", 1e-9);
            }

            models.Add(model with { State = i < 5 ? ArtifactState.Live : ArtifactState.Abandoned });
        }

        _models = [.. await _store.PutArtifactsAsync(models)];
        _dataset = (await _store.PutArtifactsAsync([Artifact.Of("Dataset", uri: "file:///data/Train", name: "train")]))[0];
        IReadOnlyList<long> executions = await _store.PutExecutionsAsync(
            [Execution.Of("Trainer", ExecutionState.Failed, "train"), Execution.Of("Trainer", ExecutionState.Complete, "eval")]);
        (_train, _eval) = (executions[0], executions[1]);
        IReadOnlyList<long> contexts = await _store.PutContextsAsync([Context.Of("Experiment", "exp-1"), Context.Of("Experiment", "exp-2")]);
        (_run1, _run2) = (contexts[0], contexts[1]);
        await _store.PutAttributionsAndAssociationsAsync(
            [.. _models.Take(6).Select(m => new Attribution(_run1, m)), new Attribution(_run1, _dataset), new Attribution(_run2, _models[9]), new Attribution(_run2, _dataset)],
            [new Association(_run1, _train), new Association(_run2, _eval)]);
        await _store.PutEventsAsync([Event.Of(EventType.Input, _dataset, _train), Event.Of(EventType.Output, _models[0], _train)]);
    }

    /// <summary>Closes the store.</summary>
    /// <returns>A task that ends when the store is closed.</returns>
    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>ListArtifactsAsync returns matching nodes when filter given.</summary>
    [Fact]
    public async Task ListArtifactsAsync_returns_matching_nodes_when_filter_given()
    {
        NodePage<Artifact> page = await _store.ListArtifactsAsync(new NodeListOptions
        {
            Filter = "type = 'Model' AND properties.accuracy.double_value > 0.885 AND contexts_x.name = 'exp-1'",
        });
        page.Items.Select(a => a.Id).Should().Equal(_models[4], _models[5]);
        page.HasMore.Should().BeFalse();
    }

    /// <summary>ListArtifactsAsync accepts typed filter when built in code.</summary>
    [Fact]
    public async Task ListArtifactsAsync_accepts_typed_filter_when_built_in_code()
    {
        Filter filter = Filter.Type == "Model"
            & Filter.Property("accuracy").DoubleValue > 0.885
            & Filter.Context("x").Name == "exp-1";
        NodePage<Artifact> page = await _store.ListArtifactsAsync(new NodeListOptions { Filter = filter });
        page.Items.Select(a => a.Id).Should().Equal(_models[4], _models[5]);

        NodePage<Artifact> missing = await _store.ListArtifactsAsync(new NodeListOptions
        {
            Filter = Filter.Property("framework").StringValue.IsNull() & Filter.State.In(ArtifactState.Abandoned, ArtifactState.Reference),
        });
        missing.Items.Select(a => a.Id).Should().Equal(_models[5], _models[7], _models[9]);
    }

    /// <summary>ListExecutionsAsync and GetContextsAsync filter when filter given.</summary>
    [Fact]
    public async Task ListExecutionsAsync_and_GetContextsAsync_filter_when_filter_given()
    {
        (await _store.ListExecutionsAsync(new NodeListOptions { Filter = "last_known_state = FAILED OR contexts_a.name = 'exp-2'" }))
            .Items.Select(e => e.Id).Should().Equal(_train, _eval);
        (await _store.ListExecutionsAsync(new NodeListOptions { Filter = Filter.Event("e").ArtifactId == _dataset & Filter.Event("e").Type == EventType.Input }))
            .Items.Select(e => e.Id).Should().Equal(_train);
        (await _store.ListContextsAsync(new NodeListOptions { Filter = $"artifacts_a.id = {_models[9]} AND artifacts_b.uri LIKE 'file:///data/%'" }))
            .Items.Select(c => c.Id).Should().Equal(_run2);
        (await _store.ListContextsAsync(new NodeListOptions { Filter = $"executions_a.id = {_train} AND artifacts_a.id = {_dataset}" }))
            .Items.Select(c => c.Id).Should().Equal(_run1);
    }

    /// <summary>ListArtifactsByTypeAsync and ByContextAsync combine scope and filter.</summary>
    [Fact]
    public async Task ListArtifactsByTypeAsync_and_ByContextAsync_combine_scope_and_filter()
    {
        (await _store.ListArtifactsByTypeAsync("Model", options: new NodeListOptions { Filter = "uri LIKE '%/9' OR name = 'train'" }))
            .Items.Select(a => a.Id).Should().Equal(_models[9]);
        (await _store.ListArtifactsByContextAsync(_run2, new NodeListOptions { Filter = "type = 'Dataset'" }))
            .Items.Select(a => a.Id).Should().Equal(_dataset);
        (await _store.ListExecutionsByContextAsync(_run1, new NodeListOptions { Filter = "last_known_state != FAILED" }))
            .Items.Should().BeEmpty();
        (await _store.ListContextsByTypeAsync("Experiment", options: new NodeListOptions { Filter = "name LIKE 'exp-_'" }))
            .Items.Select(c => c.Id).Should().Equal(_run1, _run2);
    }

    /// <summary>ListArtifactsAsync pages filtered listing when ordered.</summary>
    [Theory]
    [InlineData(NodeOrder.Id, false)]
    [InlineData(NodeOrder.Id, true)]
    [InlineData(NodeOrder.CreateTime, false)]
    [InlineData(NodeOrder.LastUpdateTime, true)]
    public async Task ListArtifactsAsync_pages_filtered_listing_when_ordered(NodeOrder orderBy, bool descending)
    {
        const string filter = "properties.framework.string_value = 'torch' OR state = ABANDONED";
        var expected = new[] { 0, 2, 4, 5, 6, 7, 8, 9 }.Select(i => _models[i]).ToList();
        var seen = new List<long>();
        string? token = null;
        do
        {
            NodePage<Artifact> page = await _store.ListArtifactsAsync(new NodeListOptions
            {
                PageSize = 3, OrderBy = orderBy, Descending = descending, Filter = filter, PageToken = token,
            });
            page.Items.Count.Should().BeLessThanOrEqualTo(3);
            seen.AddRange(page.Items.Select(a => a.StoredId));
            token = page.NextPageToken;
        }
        while (token is not null);

        seen.Should().BeEquivalentTo(expected);
        seen.Should().OnlyHaveUniqueItems();
    }

    /// <summary>ListArtifactsAsync accepts token when filter written differently.</summary>
    [Fact]
    public async Task ListArtifactsAsync_accepts_token_when_filter_written_differently()
    {
        NodePage<Artifact> first = await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = "type = 'Model'" });
        NodePage<Artifact> second = await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = "type='Model'", PageToken = first.NextPageToken });
        second.Items.Select(a => a.Id).Should().Equal(_models[2], _models[3]);
        NodePage<Artifact> third = await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = Filter.Type == "Model", PageToken = second.NextPageToken });
        third.Items.Select(a => a.Id).Should().Equal(_models[4], _models[5]);
    }

    /// <summary>ListArtifactsAsync throws invalid argument when token filter differs.</summary>
    [Theory]
    [InlineData("type = 'Dataset'")]
    [InlineData(null)]
    [InlineData("type = 'Model' AND id > 0")]
    public async Task ListArtifactsAsync_throws_invalid_argument_when_token_filter_differs(string? other)
    {
        NodePage<Artifact> first = await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = "type = 'Model'" });
        var act = () => _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = other, PageToken = first.NextPageToken });
        (await act.Should().ThrowAsync<MetadataStoreException>()).Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    /// <summary>ListArtifactsAsync throws invalid argument when unfiltered token used with filter.</summary>
    [Fact]
    public async Task ListArtifactsAsync_throws_invalid_argument_when_unfiltered_token_used_with_filter()
    {
        NodePage<Artifact> first = await _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2 });
        var act = () => _store.ListArtifactsAsync(new NodeListOptions { PageSize = 2, Filter = "type = 'Model'", PageToken = first.NextPageToken });
        (await act.Should().ThrowAsync<MetadataStoreException>()).WithMessage("*different filter*");
    }

    /// <summary>ListArtifactsAsync throws invalid argument when filter invalid.</summary>
    [Theory]
    [InlineData("a == 'a'", "*Syntax error*")]
    [InlineData("last_known_state = RUNNING", "*Unrecognized name: last_known_state*")]
    [InlineData("name = 'x'; DELETE FROM Artifact", "*unexpected character ';'*")]
    public async Task ListArtifactsAsync_throws_invalid_argument_when_filter_invalid(string filter, string message)
    {
        var act = () => _store.ListArtifactsAsync(new NodeListOptions { Filter = filter });
        (await act.Should().ThrowAsync<MetadataStoreException>())
            .Where(e => e.ErrorCode == MetadataErrorCode.InvalidArgument).WithMessage(message);
        (await _store.ListArtifactsAsync()).Items.Should().HaveCount(11);
    }

    /// <summary>ListArtifactsAsync compares bool and small double values exactly.</summary>
    [Fact]
    public async Task ListArtifactsAsync_compares_bool_and_small_double_values_exactly()
    {
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.approved.bool_value" }))
            .Items.Select(a => a.Id).Should().Equal(_models[3]);
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = Filter.CustomProperty("approved").BoolValue != true }))
            .Items.Should().BeEmpty();
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.score.double_value = 1e-9" }))
            .Items.Select(a => a.Id).Should().Equal(_models[3]);
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "custom_properties.score.double_value > 1.5e-9" }))
            .Items.Should().BeEmpty();
    }

    /// <summary>ListArtifactsAsync lists everything when filter blank.</summary>
    [Fact]
    public async Task ListArtifactsAsync_lists_everything_when_filter_blank()
    {
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = "  " })).Items.Should().HaveCount(11);
    }

    /// <summary>ListArtifactsAsync matches text when literal holds sql.</summary>
    [Fact]
    public async Task ListArtifactsAsync_matches_text_when_literal_holds_sql()
    {
        long id = (await _store.PutArtifactsAsync([Artifact.Of("Dataset", name: "x'); DROP TABLE Artifact; --")]))[0];
        (await _store.ListArtifactsAsync(new NodeListOptions { Filter = Filter.Name == "x'); DROP TABLE Artifact; --" }))
            .Items.Select(a => a.Id).Should().Equal(id);
        (await _store.ListArtifactsAsync()).Items.Should().HaveCount(12);
    }
}
