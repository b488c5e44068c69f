using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace MetadataStore.Extensions.DependencyInjection.Tests;

public sealed class ServiceCollectionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Resolved_store_writes_and_reads_back()
    {
        var path = _folder.File("mlmd.db");
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseSqliteFile(path));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IMetadataStore>();
        var id = await Roundtrip.WriteModelAsync(store, "file:///models/1");

        (await Roundtrip.ReadUriAsync(store, id)).Should().Be("file:///models/1");
        File.Exists(path).Should().BeTrue();
    }

    [Fact]
    public async Task The_store_takes_its_clock_from_the_container_unless_the_callback_sets_one()
    {
        var containerTime = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var callbackTime = new DateTimeOffset(2031, 6, 7, 8, 9, 10, TimeSpan.Zero);

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(containerTime));
        services.AddMetadataStore(b => b.UseInMemorySqlite());
        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IMetadataStore>();
            var id = await Roundtrip.WriteModelAsync(store, "file:///models/1");
            (await store.GetArtifactByIdAsync(id))!.CreateTime.Should().Be(containerTime);
        }

        var own = new ServiceCollection();
        own.AddSingleton<TimeProvider>(new FixedClock(containerTime));
        own.AddMetadataStore(b => b.UseInMemorySqlite().UseTimeProvider(new FixedClock(callbackTime)));
        await using (var provider = own.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IMetadataStore>();
            var id = await Roundtrip.WriteModelAsync(store, "file:///models/1");
            (await store.GetArtifactByIdAsync(id))!.CreateTime.Should().Be(callbackTime);
        }
    }

    [Fact]
    public async Task Every_resolve_and_every_scope_gets_the_same_store()
    {
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseInMemorySqlite());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var first = provider.GetRequiredService<IMetadataStore>();
        var second = provider.GetRequiredService<IMetadataStore>();
        await using var scope = provider.CreateAsyncScope();
        var scoped = scope.ServiceProvider.GetRequiredService<IMetadataStore>();

        second.Should().BeSameAs(first);
        scoped.Should().BeSameAs(first);
        var id = await Roundtrip.WriteModelAsync(first, "file:///models/1");
        (await Roundtrip.ReadUriAsync(scoped, id)).Should().Be("file:///models/1", because: "an in-memory store is one database for every consumer");
    }

    [Fact]
    public async Task The_store_logs_through_the_containers_logger_factory()
    {
        var recorder = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        services.AddMetadataStore(b => b.UseSqliteFile(_folder.File("mlmd.db")));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IMetadataStore>();
        var act = () => store.PutArtifactTypeAsync(ArtifactType.Named(""));
        await act.Should().ThrowAsync<MetadataStoreException>();

        recorder.Entries.Should().Contain(e => e.EventId == MetadataStoreEventId.StoreOpened && e.Message.Contains("mlmd.db"));
        recorder.Entries.Should().Contain(e => e.EventId == MetadataStoreEventId.RequestFailed && e.Message.Contains("failed with InvalidArgument"));
    }

    [Fact]
    public async Task A_logger_factory_set_by_the_callback_wins_over_the_containers()
    {
        var containerRecorder = new RecordingLoggerProvider();
        var ownRecorder = new RecordingLoggerProvider();
        using var ownFactory = LoggerFactory.Create(logging => logging.AddProvider(ownRecorder).SetMinimumLevel(LogLevel.Trace));
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(containerRecorder).SetMinimumLevel(LogLevel.Trace));
        services.AddMetadataStore(b => b.UseInMemorySqlite().UseLoggerFactory(ownFactory));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMetadataStore>();

        ownRecorder.Entries.Should().Contain(e => e.EventId == MetadataStoreEventId.StoreOpened);
        containerRecorder.Entries.Should().NotContain(e => e.EventId == MetadataStoreEventId.StoreOpened);
    }

    [Fact]
    public async Task The_callback_with_the_provider_takes_its_settings_from_the_container()
    {
        var path = _folder.File("from-options.db");
        var services = new ServiceCollection();
        services.Configure<StoreSettings>(settings => settings.Path = path);
        services.AddMetadataStore((sp, b) => b.UseSqliteFile(sp.GetRequiredService<IOptions<StoreSettings>>().Value.Path));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IMetadataStore>();
        await Roundtrip.WriteModelAsync(store, "file:///models/1");

        File.Exists(path).Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_the_provider_disposes_the_store_and_closes_its_file(bool disposeAsync)
    {
        var path = _folder.File("mlmd.db");
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseSqliteFile(path));
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IMetadataStore>();
        var id = await Roundtrip.WriteModelAsync(store, "file:///models/1");
        File.Exists(path + "-wal").Should().BeTrue(because: "an open store keeps its write-ahead log");

        if (disposeAsync)
        {
            await provider.DisposeAsync();
        }
        else
        {
            provider.Dispose();
        }

        var act = () => store.GetArtifactsByIdAsync([id]);
        await act.Should().ThrowAsync<ObjectDisposedException>();
        File.Exists(path + "-wal").Should().BeFalse(because: "SQLite removes the log when the last connection closes");
        await using (var reopened = await new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync())
        {
            (await Roundtrip.ReadUriAsync(reopened, id)).Should().Be("file:///models/1");
        }

        File.Delete(path);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task A_callback_that_names_no_database_fails_on_resolve_saying_so()
    {
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.WithSchemaMode(SchemaMode.CreateOrVerify));
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IMetadataStore>();

        act.Should().Throw<MetadataStoreException>().Where(e => e.ErrorCode == MetadataErrorCode.FailedPrecondition).WithMessage("No database is configured*UseSqliteFile*");
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_fails_on_resolve_naming_it_and_the_next_resolve_tries_again()
    {
        var folder = _folder.File("not-yet");
        var path = Path.Combine(folder, "mlmd.db");
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseSqliteFile(path));
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IMetadataStore>();

        act.Should().Throw<MetadataStoreException>()
            .Which.Should().Match<MetadataStoreException>(e => e.ErrorCode == MetadataErrorCode.Unavailable && e.Message.Contains(path));
        Directory.CreateDirectory(folder);
        var store = provider.GetRequiredService<IMetadataStore>();
        var id = await Roundtrip.WriteModelAsync(store, "file:///models/1");
        (await Roundtrip.ReadUriAsync(store, id)).Should().Be("file:///models/1");
    }

    [Fact]
    public async Task A_foreign_database_fails_on_resolve_with_FailedPrecondition()
    {
        var path = _folder.File("foreign.db");
        await (await new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync()).DisposeAsync();

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE MLMDEnv SET schema_version = 99";
            command.ExecuteNonQuery();
        }

        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseSqliteFile(path));
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IMetadataStore>();

        act.Should().Throw<MetadataStoreException>().Which.ErrorCode.Should().Be(MetadataErrorCode.FailedPrecondition);
    }

    [Fact]
    public void A_second_registration_leaves_the_first_in_place()
    {
        var first = _folder.File("first.db");
        var second = _folder.File("second.db");
        var services = new ServiceCollection();
        services.AddMetadataStore(b => b.UseSqliteFile(first));
        services.AddMetadataStore(b => b.UseSqliteFile(second));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IMetadataStore>();

        services.Count(d => d.ServiceType == typeof(IMetadataStore)).Should().Be(1);
        File.Exists(first).Should().BeTrue();
        File.Exists(second).Should().BeFalse();
    }

    [Fact]
    public void Null_arguments_throw_at_registration()
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => services.AddMetadataStore((Action<MetadataStoreBuilder>)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => services.AddMetadataStore((Action<IServiceProvider, MetadataStoreBuilder>)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ((IServiceCollection)null!).AddMetadataStore(b => b.UseInMemorySqlite())).Should().Throw<ArgumentNullException>();
        services.Should().BeEmpty();
    }
}
