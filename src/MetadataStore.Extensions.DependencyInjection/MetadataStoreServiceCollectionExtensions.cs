using MetadataStore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

// In the container's own namespace, so AddMetadataStore needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an <see cref="IMetadataStore"/> in an <see cref="IServiceCollection"/>:
/// <code>
/// builder.Services.AddMetadataStore(b => b.UseSqliteFile("mlmd.db"));
/// </code>
/// The store is a singleton: it is opened the first time it is resolved, shared by every consumer and scope, and
/// disposed, closing its database, when the container is disposed.
/// </summary>
/// <remarks>
/// <para>
/// Opening is asynchronous but constructor injection is not, so the first resolve of <see cref="IMetadataStore"/>
/// waits for <see cref="MetadataStoreBuilder.OpenAsync"/> to finish. For SQLite this is short: it connects and
/// creates or verifies the schema. A failed open (no database configured, a file that cannot be opened, a schema the
/// store refuses) is thrown from that resolve, and the next resolve tries again. To open the store, and fail, at
/// start-up rather than on first use, resolve it once right after building the host or provider.
/// </para>
/// <para>
/// The store logs through the container's <see cref="ILoggerFactory"/> when one is registered, unless the configure
/// callback calls <see cref="MetadataStoreBuilder.UseLoggerFactory"/> itself, and takes its clock from a registered
/// <see cref="TimeProvider"/> unless the callback calls <see cref="MetadataStoreBuilder.UseTimeProvider"/>.
/// </para>
/// </remarks>
public static class MetadataStoreServiceCollectionExtensions
{
    /// <summary>Registers one <see cref="IMetadataStore"/> for the container's lifetime, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the store: at least the database (<see cref="SqliteMetadataStoreBuilderExtensions.UseSqliteFile"/>,
    /// <see cref="SqliteMetadataStoreBuilderExtensions.UseSqlite"/> or <see cref="SqliteMetadataStoreBuilderExtensions.UseInMemorySqlite"/>). It runs when the
    /// store is first resolved.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>When an <see cref="IMetadataStore"/> is already registered, the collection is left unchanged.</remarks>
    public static IServiceCollection AddMetadataStore(this IServiceCollection services, Action<MetadataStoreBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddMetadataStore((_, builder) => configure(builder));
    }

    /// <summary>
    /// Registers one <see cref="IMetadataStore"/> for the container's lifetime, configured by <paramref name="configure"/> with
    /// access to the container, for settings that come from it (options, configuration, a connection string):
    /// <code>
    /// services.AddMetadataStore((sp, b) => b.UseSqlite(sp.GetRequiredService&lt;IConfiguration&gt;().GetConnectionString("mlmd")!));
    /// </code>
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the store from the container: at least the database. It runs when the store is first resolved.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>When an <see cref="IMetadataStore"/> is already registered, the collection is left unchanged.</remarks>
    public static IServiceCollection AddMetadataStore(this IServiceCollection services, Action<IServiceProvider, MetadataStoreBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAdd(ServiceDescriptor.Singleton<IMetadataStore>(serviceProvider => Open(serviceProvider, configure)));
        return services;
    }

    private static IMetadataStore Open(IServiceProvider serviceProvider, Action<IServiceProvider, MetadataStoreBuilder> configure)
    {
        var builder = new MetadataStoreBuilder();

        // Set before the callback runs, so a logger factory or clock the callback chooses wins.
        if (serviceProvider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        if (serviceProvider.GetService<TimeProvider>() is { } timeProvider)
        {
            builder.UseTimeProvider(timeProvider);
        }

        configure(serviceProvider, builder);

        // A factory cannot await; the library's awaits do not capture a context, so waiting here cannot deadlock.
        return builder.OpenAsync().GetAwaiter().GetResult();
    }
}
