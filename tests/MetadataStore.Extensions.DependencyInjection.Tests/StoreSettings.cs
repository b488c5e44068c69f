namespace MetadataStore.Extensions.DependencyInjection.Tests;

/// <summary>Application options naming the store's file, as an app would bind them from configuration.</summary>
public sealed class StoreSettings
{
    public string Path { get; set; } = string.Empty;
}
