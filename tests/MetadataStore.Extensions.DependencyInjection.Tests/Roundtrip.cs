namespace MetadataStore.Extensions.DependencyInjection.Tests;

/// <summary>Writes one artifact and reads it back, so a test sees that a resolved store works.</summary>
public static class Roundtrip
{
    public static async Task<long> WriteModelAsync(IMetadataStore store, string uri)
    {
        var type = await store.PutArtifactTypeAsync(ArtifactType.Named("Model"));
        var ids = await store.PutArtifactsAsync([Artifact.Of(type, uri)]);
        return ids[0];
    }

    public static async Task<string?> ReadUriAsync(IMetadataStore store, long id) =>
        (await store.GetArtifactByIdAsync(id))?.Uri;
}
