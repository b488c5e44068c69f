namespace MetadataStore.Extensions.DependencyInjection.Tests;

/// <summary>An application service that takes the store through its constructor, as services in a host do.</summary>
public sealed class ModelRegistry(IMetadataStore store)
{
    public IMetadataStore Store { get; } = store;

    public Task<long> RegisterAsync(string uri) => Roundtrip.WriteModelAsync(Store, uri);
}
