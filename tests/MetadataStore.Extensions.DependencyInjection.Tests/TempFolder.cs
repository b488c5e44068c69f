namespace MetadataStore.Extensions.DependencyInjection.Tests;

/// <summary>A temporary folder for SQLite files, removed with everything in it when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("metadatastore-di-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A store a failed test left open keeps its file; a leftover temporary folder is harmless.
        }
    }
}
