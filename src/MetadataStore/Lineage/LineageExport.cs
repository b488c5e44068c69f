using System.Globalization;
using System.Text;

namespace MetadataStore.Lineage;

/// <summary>
/// Renders a <see cref="LineageGraph"/> as Graphviz DOT or a Mermaid flowchart, and writes and reads it as JSON
/// (see <see cref="LineageJson"/>). Artifacts are boxes and executions rounded boxes; the fill says the state
/// (live or complete green, pending or running amber, failed red, cached blue, deleted, abandoned or cancelled grey);
/// starting nodes (hop 0) have a thick border. Each label holds the type, the name (or the URI, or the id) and the
/// first properties. Edges follow the data: an input event goes from the artifact to the execution, an output event
/// from the execution to the artifact, labelled with the event's path or else its type.
/// </summary>
public static class LineageExport
{
    /// <summary>Renders the graph as Graphviz DOT.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="options">Label options; <see langword="null"/> for <see cref="LineageExportOptions.Default"/>.</param>
    /// <returns>A <c>digraph</c> that <c>dot</c> lays out.</returns>
    public static string ToDot(LineageGraph graph, LineageExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= LineageExportOptions.Default;
        var dot = new StringBuilder();
        dot.Append("digraph lineage {\n");
        dot.Append("  rankdir=").Append(options.TopToBottom ? "TB" : "LR").Append(";\n");
        dot.Append("  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\"];\n");
        dot.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var id in graph.Nodes)
        {
            var style = Style(graph, id);
            dot.Append("  ").Append(Quote(Key(id))).Append(" [label=").Append(Quote(string.Join("\n", Label(graph, id, options))))
                .Append(", shape=").Append(id.IsArtifact ? "box" : "box, style=\"filled,rounded\"")
                .Append(", fillcolor=\"").Append(style.Fill).Append("\", color=\"").Append(style.Stroke).Append('"');
            if (graph.HopOf(id) == 0)
            {
                dot.Append(", penwidth=2.5");
            }

            dot.Append("];\n");
        }

        foreach (var (from, to, label) in Edges(graph))
        {
            dot.Append("  ").Append(Quote(Key(from))).Append(" -> ").Append(Quote(Key(to)))
                .Append(" [label=").Append(Quote(label)).Append("];\n");
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>Renders the graph as a Mermaid flowchart, as GitHub and most documentation sites display it.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="options">Label options; <see langword="null"/> for <see cref="LineageExportOptions.Default"/>.</param>
    /// <returns>The flowchart's text.</returns>
    public static string ToMermaid(LineageGraph graph, LineageExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= LineageExportOptions.Default;
        var text = new StringBuilder();
        text.Append("flowchart ").Append(options.TopToBottom ? "TB" : "LR").Append('\n');
        var classes = new SortedDictionary<string, (string Fill, string Stroke)>(StringComparer.Ordinal);
        foreach (var id in graph.Nodes)
        {
            var style = Style(graph, id);
            classes[style.Class] = (style.Fill, style.Stroke);
            var label = string.Join("<br/>", Label(graph, id, options).Select(MermaidEscape));
            var (open, close) = id.IsArtifact ? ("[\"", "\"]") : ("([\"", "\"])");
            text.Append("  ").Append(Key(id)).Append(open).Append(label).Append(close).Append(":::").Append(style.Class).Append('\n');
        }

        foreach (var (from, to, label) in Edges(graph))
        {
            text.Append("  ").Append(Key(from)).Append(" -->|\"").Append(MermaidEscape(label)).Append("\"| ").Append(Key(to)).Append('\n');
        }

        foreach (var (name, (fill, stroke)) in classes)
        {
            text.Append("  classDef ").Append(name).Append(" fill:").Append(fill).Append(",stroke:").Append(stroke).Append(",color:#111\n");
        }

        var starts = graph.Nodes.Where(n => graph.HopOf(n) == 0).Select(Key).ToList();
        if (starts.Count > 0)
        {
            text.Append("  style ").Append(string.Join(",", starts)).Append(" stroke-width:3px\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the graph as JSON in the shape <see cref="LineageJson"/> documents.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="indented">Indent the text.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJson(LineageGraph graph, bool indented = true) => LineageJson.Write(graph, indented);

    /// <summary>Reads a graph written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The graph, equal in every part to the one written.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the text is not a lineage graph in that shape.</exception>
    public static LineageGraph FromJson(string json) => LineageJson.Read(json);

    private static string Key(LineageNodeId id) => id.ToString();

    private static IEnumerable<(LineageNodeId From, LineageNodeId To, string Label)> Edges(LineageGraph graph)
    {
        var seen = new HashSet<(LineageNodeId, LineageNodeId, string)>();
        foreach (var e in graph.Events)
        {
            if (e.ArtifactId is not long a || e.ExecutionId is not long x)
            {
                continue;
            }

            var artifact = LineageNodeId.Artifact(a);
            var execution = LineageNodeId.Execution(x);
            if (!graph.Contains(artifact) || !graph.Contains(execution))
            {
                continue;
            }

            var label = e.Path.Count > 0 ? FormatPath(e.Path) : e.Type.ToString();
            var edge = LineageGraph.IsInput(e.Type) ? (artifact, execution, label) : LineageGraph.IsOutput(e.Type) ? (execution, artifact, label) : default;
            if (edge != default && seen.Add(edge))
            {
                yield return edge;
            }
        }
    }

    private static string FormatPath(IReadOnlyList<EventStep> path)
    {
        var text = new StringBuilder();
        foreach (var step in path)
        {
            if (step.IsIndex)
            {
                text.Append('[').Append(step.Index!.Value.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? string.Empty : ".").Append(step.Key);
            }
        }

        return text.ToString();
    }

    private static List<string> Label(LineageGraph graph, LineageNodeId id, LineageExportOptions options)
    {
        var node = graph.GetNode(id);
        var kind = id.IsArtifact ? "artifact" : "execution";
        if (node is null || node.TypeName is null)
        {
            return [$"{kind} {id.Id.ToString(CultureInfo.InvariantCulture)}"];
        }

        var lines = new List<string> { node.TypeName };
        var uri = (node as Artifact)?.Uri;
        lines.Add(Cut(!string.IsNullOrEmpty(node.Name) ? node.Name : !string.IsNullOrEmpty(uri) ? uri : $"{kind} {id.Id.ToString(CultureInfo.InvariantCulture)}", options));
        var state = node switch
        {
            Artifact { State: { } s } => s.ToString(),
            Execution { LastKnownState: { } s } => s.ToString(),
            _ => null,
        };
        if (state is not null)
        {
            lines[0] += $" ({state})";
        }

        var properties = node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Concat(node.CustomProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
            .Take(Math.Max(0, options.MaxProperties));
        foreach (var (name, value) in properties)
        {
            lines.Add(Cut(name, options) + " = " + Cut(value.ToString(), options));
        }

        return lines;
    }

    private static string Cut(string text, LineageExportOptions options)
    {
        var max = Math.Max(4, options.MaxValueLength);
        text = text.Replace('\r', ' ').Replace('\n', ' ');
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }

    private static (string Class, string Fill, string Stroke) Style(LineageGraph graph, LineageNodeId id)
    {
        var node = graph.GetNode(id);
        var kind = id.IsArtifact ? "artifact" : "execution";
        var state = node switch
        {
            Artifact { State: { } s } => s switch
            {
                ArtifactState.Live => "ok",
                ArtifactState.Pending => "pending",
                ArtifactState.MarkedForDeletion or ArtifactState.Deleted or ArtifactState.Abandoned => "gone",
                _ => "none",
            },
            Execution { LastKnownState: { } s } => s switch
            {
                ExecutionState.Complete => "ok",
                ExecutionState.New or ExecutionState.Running => "pending",
                ExecutionState.Failed => "failed",
                ExecutionState.Cached => "cached",
                ExecutionState.Canceled => "gone",
                _ => "none",
            },
            _ => "none",
        };
        var (fill, stroke) = state switch
        {
            "ok" => id.IsArtifact ? ("#dcfce7", "#15803d") : ("#bbf7d0", "#166534"),
            "pending" => ("#fef3c7", "#b45309"),
            "failed" => ("#fee2e2", "#b91c1c"),
            "cached" => ("#dbeafe", "#1d4ed8"),
            "gone" => ("#e5e7eb", "#6b7280"),
            _ => id.IsArtifact ? ("#f8fafc", "#475569") : ("#f1f5f9", "#334155"),
        };
        return (kind + char.ToUpperInvariant(state[0]) + state[1..], fill, stroke);
    }

    /// <summary>A DOT double-quoted string: backslashes and quotes escaped, line breaks as <c>\n</c>.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                default:
                    quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Text inside a quoted Mermaid label: characters Mermaid or HTML would read are written as Mermaid entity codes.</summary>
    private static string MermaidEscape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                case '#':
                case '<':
                case '>':
                case '&':
                case '|':
                case '`':
                case '\\':
                    escaped.Append('#').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
