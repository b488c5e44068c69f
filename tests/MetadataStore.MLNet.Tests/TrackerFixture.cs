using Microsoft.ML;

namespace MetadataStore.MLNet.Tests;

/// <summary>A fresh in-memory store, an ML.NET context with a fixed seed and a folder for saved models.</summary>
public sealed class TrackerFixture : IAsyncDisposable
{
    private TrackerFixture(IMetadataStore store, MLNetTrackerOptions? options)
    {
        Store = store;
        Tracker = new MLNetTracker(store, MLContext, options);
        Directory.CreateDirectory(Folder);
    }

    public MLContext MLContext { get; } = new(seed: 1);

    public IMetadataStore Store { get; }

    public MLNetTracker Tracker { get; }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mlnet-tests-" + Guid.NewGuid().ToString("N"));

    public static async Task<TrackerFixture> OpenAsync(MLNetTrackerOptions? options = null) => new(await new MetadataStoreBuilder().UseInMemorySqlite().OpenAsync(), options);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
