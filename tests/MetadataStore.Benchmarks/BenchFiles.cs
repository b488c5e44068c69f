namespace MetadataStore.Benchmarks;

/// <summary>A scratch directory of store files: an empty template made by the library, copied for each fresh store.</summary>
internal sealed class BenchFiles : IDisposable
{
    private BenchFiles(string root, string template)
    {
        Root = root;
        Template = template;
    }

    public string Root { get; }

    /// <summary>An empty store with the library's schema.</summary>
    public string Template { get; }

    /// <summary>Set to a directory to keep the store files there and reuse the 1M-artifact store across runs.</summary>
    public const string KeepVariable = "METADATASTORE_BENCH_DIR";

    /// <summary>Whether the files outlive the run.</summary>
    public bool Keep { get; private init; }

    public static async Task<BenchFiles> CreateAsync()
    {
        var kept = Environment.GetEnvironmentVariable(KeepVariable);
        var root = string.IsNullOrEmpty(kept)
            ? Path.Combine(Path.GetTempPath(), "metadatastore-bench-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : Path.GetFullPath(kept);
        Directory.CreateDirectory(root);
        var template = Path.Combine(root, "template.db");
        Delete(template);
        // The library writes the schema, so the baseline runs on exactly its tables and indexes.
        await using (await OpenLibraryAsync(template))
        {
        }

        return new BenchFiles(root, template) { Keep = !string.IsNullOrEmpty(kept) };
    }

    public static Task<IMetadataStore> OpenLibraryAsync(string path, CancellationToken cancellationToken = default) =>
        new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync(cancellationToken);

    /// <summary>A new copy of the template.</summary>
    public string Fresh(string name)
    {
        var path = Path.Combine(Root, name + ".db");
        Delete(path);
        File.Copy(Template, path);
        return path;
    }

    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    public void Dispose()
    {
        if (Keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a scratch directory left behind is harmless.
        }
    }
}
