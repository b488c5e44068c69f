using MetadataStore.PostgreSql;
using Npgsql;

namespace MetadataStore;

/// <summary>Configures a <see cref="MetadataStoreBuilder"/> to store in PostgreSQL (MLMD's schema v10 in one schema of a database).</summary>
public static class PostgreSqlMetadataStoreBuilderExtensions
{
    // Statements a store runs again and again are prepared on each physical connection after two uses.
    private const int AutoPrepared = 256;

    /// <summary>Uses a PostgreSQL database given by an Npgsql connection string; the store keeps its own connection pool.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string, such as <c>Host=db;Database=ml;Username=mlmd_writer;Password=...</c>.</param>
    /// <param name="schema">The schema that holds (or will hold) the store's tables; created, with them, when missing and the role may.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the connection string is blank or cannot be parsed, or the schema name cannot be used.</exception>
    public static MetadataStoreBuilder UsePostgreSql(this MetadataStoreBuilder builder, string connectionString, string schema = "public")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(schema);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, "The PostgreSQL connection string must not be blank.");
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The PostgreSQL connection string cannot be parsed: {ex.Message}", ex);
        }

        CheckSchema(schema);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = AutoPrepared;
        }

        var normalized = settings.ConnectionString;
        return builder.UseBackend(context => new PostgreSqlBackend(NpgsqlDataSource.Create(normalized), ownsDataSource: true, schema, context.Logger));
    }

    /// <summary>
    /// Uses a PostgreSQL database through an <see cref="NpgsqlDataSource"/> the caller configured and owns (its pool,
    /// authentication, logging); disposing the store does not dispose it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="schema">The schema that holds (or will hold) the store's tables; created, with them, when missing and the role may.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="MetadataStoreException">InvalidArgument when the schema name cannot be used.</exception>
    public static MetadataStoreBuilder UsePostgreSql(this MetadataStoreBuilder builder, NpgsqlDataSource dataSource, string schema = "public")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        CheckSchema(schema);
        return builder.UseBackend(context => new PostgreSqlBackend(dataSource, ownsDataSource: false, schema, context.Logger));
    }

    private static void CheckSchema(string schema)
    {
        if (PostgreSqlSchema.CheckSchemaName(schema) is { } problem)
        {
            throw new MetadataStoreException(MetadataErrorCode.InvalidArgument, $"The PostgreSQL schema name '{schema}' cannot be used: {problem}.");
        }
    }
}
