using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MetadataStore.Extensions.DependencyInjection.Tests;

public sealed class HostTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_host_gives_its_services_one_store_that_logs_through_the_host_and_closes_with_it()
    {
        var path = _folder.File("host.db");
        var recorder = new RecordingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:mlmd"] = $"Data Source={path}" });
        builder.Logging.ClearProviders().AddProvider(recorder).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddMetadataStore((sp, b) => b.UseSqlite(sp.GetRequiredService<IConfiguration>().GetConnectionString("mlmd")!));
        builder.Services.AddSingleton<ModelRegistry>();

        IMetadataStore store;
        long id;
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var registry = host.Services.GetRequiredService<ModelRegistry>();
            store = host.Services.GetRequiredService<IMetadataStore>();
            registry.Store.Should().BeSameAs(store);

            id = await registry.RegisterAsync("file:///models/1");
            (await Roundtrip.ReadUriAsync(store, id)).Should().Be("file:///models/1");
            recorder.Entries.Should().Contain(e => e.Category == "MetadataStore" && e.EventId == MetadataStoreEventId.StoreOpened && e.Message.Contains(path));
            File.Exists(path + "-wal").Should().BeTrue();
            await host.StopAsync();
        }

        var act = () => store.GetArtifactsByIdAsync([id]);
        await act.Should().ThrowAsync<ObjectDisposedException>();
        File.Exists(path + "-wal").Should().BeFalse(because: "disposing the host closed the store's database");
        await using (var reopened = await new MetadataStoreBuilder().UseSqliteFile(path).OpenAsync())
        {
            (await Roundtrip.ReadUriAsync(reopened, id)).Should().Be("file:///models/1");
        }

        File.Delete(path);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task A_host_whose_connection_string_is_missing_fails_on_resolve_with_a_clear_error()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder.Path });
        builder.Logging.ClearProviders();
        builder.Services.AddMetadataStore((sp, b) => b.UseSqlite(sp.GetRequiredService<IConfiguration>().GetConnectionString("mlmd")!));
        using var host = builder.Build();
        await host.StartAsync();

        var act = () => host.Services.GetRequiredService<IMetadataStore>();

        act.Should().Throw<ArgumentException>().WithParameterName("connectionString");
        await host.StopAsync();
    }
}
