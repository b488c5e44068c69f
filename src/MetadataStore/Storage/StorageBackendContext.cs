using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace MetadataStore.Storage;

/// <summary>What a store offers the backend it opens.</summary>
/// <param name="Logger">The store's logger, for retries, schema work and failures.</param>
/// <param name="TimeProvider">The store's clock.</param>
/// <param name="SchemaMode">What opening may do to the schema (also passed to <see cref="IStorageBackend.OpenAsync"/>).</param>
[Experimental(Diagnostics.Experiments.StorageSpi)]
public sealed record StorageBackendContext(ILogger Logger, TimeProvider TimeProvider, SchemaMode SchemaMode);
