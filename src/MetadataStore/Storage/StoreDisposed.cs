namespace MetadataStore.Storage;

/// <summary>The exception every call on a disposed store ends with, from any layer: it names the store, not a provider object.</summary>
internal static class StoreDisposed
{
    public static ObjectDisposedException Exception() => new(nameof(IMetadataStore), "The metadata store has been disposed.");
}
