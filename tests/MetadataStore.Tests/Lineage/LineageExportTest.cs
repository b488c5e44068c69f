using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using MetadataStore.Conformance;
using MetadataStore.Lineage;
using Xunit;

namespace MetadataStore.Tests.Lineage;

/// <summary>
/// Exports of generated lineage graphs (names with quotes, brackets, '#', '&amp;', '&lt;' and non-ASCII characters,
/// every state, cycles): Graphviz accepts the DOT, Mermaid renders the flowcharts in headless Chromium, and JSON
/// reads back into the same graph.
/// </summary>
public sealed class LineageExportTest : IAsyncLifetime
{
    private IMetadataStore _store = null!;
    private GeneratedLineage _generated = null!;
    private readonly List<(string Name, LineageGraph Graph)> _graphs = [];

    public async Task InitializeAsync()
    {
        _store = await MetadataStoreBuilder.OpenInMemoryAsync();
        _generated = await GeneratedLineage.CreateAsync(_store, seed: 21, layers: 60);
        var starts = _generated.Starts;
        _graphs.Add(("everything around the diamonds", await _store.GetLineageAsync(starts[2], LineageDirection.Both)));
        _graphs.Add(("impact of the shared input", await _store.GetImpactAsync(starts[3])));
        _graphs.Add(("provenance of the last artifact", await _store.GetProvenanceAsync(starts[6])));
        _graphs.Add(("chain head, 12 hops", await _store.GetImpactAsync(starts[0], new LineageOptions { MaxHops = 12 })));
        _graphs.Add(("cycle, both ways, 6 hops", await _store.GetLineageAsync(starts[4], LineageDirection.Both, new LineageOptions { MaxHops = 6 })));
        _graphs.Add(("ids only", await _store.GetImpactAsync(starts[3], new LineageOptions { IdsOnly = true, MaxHops = 4 })));
        _graphs.Add(("empty", LineageGraph.Empty));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Graphviz_accepts_the_DOT_of_every_generated_graph()
    {
        var dot = await ExternalTools.DotAsync();
        _graphs.Sum(g => g.Graph.Nodes.Count).Should().BeGreaterThan(1000);
        foreach (var (name, graph) in _graphs)
        {
            var (code, svg, error) = await ExternalTools.RunAsync(dot, ["-Tsvg"], TimeSpan.FromMinutes(2), LineageExport.ToDot(graph));
            code.Should().Be(0, "dot must accept the graph '{0}': {1}", name, error);
            error.Should().BeEmpty(name);
            Regex.Count(svg, "<g id=\"node").Should().Be(graph.Nodes.Count, name);
        }

        // The check itself can fail: dot refuses a broken file.
        (await ExternalTools.RunAsync(dot, ["-Tsvg"], TimeSpan.FromMinutes(1), "digraph { \"a\" -> }")).ExitCode.Should().NotBe(0);
    }

    [Fact]
    public async Task Mermaid_renders_every_generated_graph_in_headless_Chromium()
    {
        var chromium = await ExternalTools.ChromiumAsync();
        var mermaid = await ExternalTools.MermaidAsync();
        var diagrams = _graphs.Select(g => (g.Name, Text: LineageExport.ToMermaid(g.Graph))).ToList();
        diagrams.Should().Contain(d => d.Text.Contains("#34;") && d.Text.Contains("données") && d.Text.Contains('['));

        // A broken diagram must be reported, or the check proves nothing.
        diagrams.Add(("broken on purpose", "flowchart LR\n  a1[\"x\"y\"] --> \n"));
        var results = await RenderAsync(chromium, mermaid, diagrams.Select(d => d.Text).ToList());

        results.Should().HaveCount(diagrams.Count);
        for (var i = 0; i < diagrams.Count - 1; i++)
        {
            results[i].Should().Be("ok", "Mermaid must render '{0}'", diagrams[i].Name);
        }

        results[^1].Should().StartWith("error");
    }

    [Fact]
    public void Json_round_trips_every_generated_graph()
    {
        foreach (var (name, graph) in _graphs)
        {
            var json = LineageExport.ToJson(graph);
            var read = LineageExport.FromJson(json);

            LineageExport.ToJson(read).Should().Be(json, name);
            read.Hops.Should().Equal(graph.Hops, name);
            read.Artifacts.Should().BeEquivalentTo(graph.Artifacts, o => o.ComparingRecordsByMembers().WithStrictOrdering(), name);
            read.Executions.Should().BeEquivalentTo(graph.Executions, o => o.ComparingRecordsByMembers().WithStrictOrdering(), name);
            read.Contexts.Should().BeEquivalentTo(graph.Contexts, o => o.ComparingRecordsByMembers().WithStrictOrdering(), name);
            read.Events.Should().BeEquivalentTo(graph.Events, o => o.ComparingRecordsByMembers().WithStrictOrdering(), name);
            read.Attributions.Should().Equal(graph.Attributions, name);
            read.Associations.Should().Equal(graph.Associations, name);
            read.ArtifactTypes.Should().BeEquivalentTo(graph.ArtifactTypes, o => o.ComparingRecordsByMembers(), name);
            read.ExecutionTypes.Should().BeEquivalentTo(graph.ExecutionTypes, o => o.ComparingRecordsByMembers(), name);
            read.ContextTypes.Should().BeEquivalentTo(graph.ContextTypes, o => o.ComparingRecordsByMembers(), name);
        }
    }

    [Fact]
    public void Json_keeps_every_kind_of_property_value()
    {
        var artifact = new Artifact { Id = 1, TypeId = 2, TypeName = "T", Name = "n" }
            .With("i", long.MinValue).With("d", 0.1 + 0.2).With("s", "\"quoted\" ✓").With("b", true)
            .With("inf", double.NegativeInfinity)
            .With("st", PropertyValue.FromStructJson("{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null}}"))
            .WithCustom("p", PropertyValue.FromProto("type.googleapis.com/x.Y", [1, 2, 255]));
        var graph = new LineageGraph(new Dictionary<LineageNodeId, int> { [LineageNodeId.Artifact(1)] = 0 }, [artifact], [], [], [], [], [], [], [], []);

        var read = LineageJson.Read(LineageJson.Write(graph));

        read.Artifacts.Should().ContainSingle().Which.Should().BeEquivalentTo(artifact, o => o.ComparingRecordsByMembers());
        read.Artifacts[0].Properties["d"].DoubleValue.Should().Be(0.1 + 0.2);
    }

    [Fact]
    public void Json_that_is_not_a_lineage_graph_is_refused()
    {
        ((Action)(() => LineageJson.Read("{\"format\": \"other\"}"))).Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        ((Action)(() => LineageJson.Read("{\"format\": \"metadatastore.lineage/1\", \"nodes\": [{\"kind\": \"model\", \"id\": 1, \"hop\": 0}]}"))).Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
        ((Action)(() => LineageJson.Read("not json"))).Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.InvalidArgument);
    }

    [Fact]
    public void Labels_show_type_state_name_and_key_properties_and_escape_what_each_format_reads()
    {
        var graph = _graphs[0].Graph;
        var artifact = graph.Artifacts.First(a => a.Name!.Contains('"'));
        var dot = LineageExport.ToDot(graph);
        var mermaid = LineageExport.ToMermaid(graph);

        dot.Should().Contain(artifact.Name!.Replace("\"", "\\\"", StringComparison.Ordinal));
        dot.Should().Contain($"rows = {artifact.Properties["rows"]}");
        mermaid.Should().Contain(artifact.Name!.Replace("\"", "#34;", StringComparison.Ordinal));
        mermaid.Should().NotContain("\"raw\"");
        mermaid.Should().Contain(artifact.TypeName!);
        mermaid.Should().Contain("classDef executionFailed fill:#fee2e2");
    }

    private const string RenderScript = """

        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxEdges: 100000, maxTextSize: 10000000 });
        (async () => {
          const out = [];
          for (let i = 0; i < diagrams.length; i++) {
            try {
              const r = await mermaid.render('g' + i, diagrams[i]);
              out.push(r.svg.includes('<svg') ? 'ok' : 'error: no svg');
            } catch (e) {
              out.push('error: ' + String((e && e.message) || e).replace(/[\r\n|]/g, ' '));
            }
          }
          document.getElementById('out').textContent = 'RESULTS|' + out.join('|') + '|END';
        })();
        </script></body></html>
        """;

    /// <summary>Renders each diagram with mermaid.render in one headless Chromium page; returns "ok" or "error: ..." per diagram.</summary>
    private static async Task<List<string>> RenderAsync(string chromium, string mermaidFolder, IReadOnlyList<string> diagrams)
    {
        var page = new StringBuilder();
        page.Append("<!doctype html><html><head><meta charset=\"utf-8\"><script src=\"node_modules/mermaid/dist/mermaid.min.js\"></script></head><body>\n");
        page.Append("<pre id=\"out\">pending</pre>\n<script>\nconst diagrams = ")
            .Append(System.Text.Json.JsonSerializer.Serialize(diagrams))
            .Append(';')
            .Append(RenderScript);
        var file = Path.Combine(mermaidFolder, $"render-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(file, page.ToString());
        try
        {
            var (_, dom, error) = await ExternalTools.RunAsync(
                chromium,
                ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files", "--virtual-time-budget=120000", "--dump-dom", new Uri(file).AbsoluteUri],
                TimeSpan.FromMinutes(5));
            var match = Regex.Match(dom, "<pre id=\"out\">RESULTS\\|(.*)\\|END</pre>", RegexOptions.Singleline);
            match.Success.Should().BeTrue("the page must finish rendering; Chromium said: {0}", error.Length > 2000 ? error[..2000] : error);
            return match.Groups[1].Value.Split('|').Select(r => System.Net.WebUtility.HtmlDecode(r) ?? string.Empty).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
