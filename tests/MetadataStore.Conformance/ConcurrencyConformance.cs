using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Several stores on one database (as several clients of it would open them), writing and reading at once: nothing
/// is lost, nothing is stored twice, reads see whole commits, and no error reaches a caller.
/// </summary>
public abstract class ConcurrencyConformance(IStoreFactory factory) : IDisposable
{
    private const int Writers = 8;

    /// <summary>Lets the factory remove what it created for this test.</summary>
    public void Dispose() => factory.Dispose();

    /// <summary>Eight stores on one database record every execution into shared contexts without error.</summary>
    [Fact]
    public async Task Eight_stores_on_one_database_record_every_execution_into_shared_contexts_without_error()
    {
        const int executions = 15;
        await using var first = await factory.OpenEmptyAsync();
        var stores = new List<IMetadataStore>();
        try
        {
            for (var w = 0; w < Writers; w++)
            {
                stores.Add(await factory.OpenSameAsync(first));
            }

            // Released together, so the writers race on registering types, creating the shared contexts and linking them.
            using var start = new ManualResetEventSlim();
            var writers = stores.Select((store, w) => Task.Factory.StartNew(
                () =>
                {
                    start.Wait();
                    return ConcurrencyWorkload.RunAsync(store, w, Writers, executions).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)).ToArray();
            start.Set();
            var refused = await Task.WhenAll(writers);

            await ConcurrencyWorkload.AssertEverythingStoredAsync(first, Writers, executions, refused.Count(r => r));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    /// <summary>Stores racing to put one name give one success and AlreadyExists to the rest.</summary>
    [Fact]
    public async Task Stores_racing_to_put_one_name_give_one_success_and_AlreadyExists_to_the_rest()
    {
        await using var first = await factory.OpenEmptyAsync();
        var type = await first.AddContextTypeAsync();
        var stores = new List<IMetadataStore>();
        try
        {
            for (var w = 0; w < Writers; w++)
            {
                stores.Add(await factory.OpenSameAsync(first));
            }

            // Each round, every store puts the same new name at once; a check before the insert cannot see the
            // others' uncommitted rows, so the backend's unique constraint must answer, translated.
            for (var round = 0; round < 5; round++)
            {
                using var start = new ManualResetEventSlim();
                var name = $"race-{round}";
                var puts = stores.Select(store => Task.Factory.StartNew(
                    () =>
                    {
                        start.Wait();
                        try
                        {
                            store.PutContextsAsync([Context.Of(type.StoredId, name)]).GetAwaiter().GetResult();
                            return MetadataErrorCode.None;
                        }
                        catch (MetadataStoreException ex)
                        {
                            return ex.ErrorCode;
                        }
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default)).ToArray();
                start.Set();
                var outcomes = await Task.WhenAll(puts);

                outcomes.Count(o => o == MetadataErrorCode.None).Should().Be(1, "round {0}: one put stores the name", round);
                outcomes.Where(o => o != MetadataErrorCode.None).Should().OnlyContain(o => o == MetadataErrorCode.AlreadyExists, "round {0}", round);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        (await first.AllContextsAsync()).Select(c => c.Name).Should().BeEquivalentTo(Enumerable.Range(0, 5).Select(r => $"race-{r}"));
    }

    /// <summary>Stores on one database commit every write when they write at once.</summary>
    [Fact]
    public async Task Stores_on_one_database_commit_every_write_when_they_write_at_once()
    {
        await using var first = await factory.OpenEmptyAsync();
        var stores = new List<IMetadataStore>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                stores.Add(await factory.OpenSameAsync(first));
            }

            await Task.WhenAll(stores.Select((store, s) => Task.Run(async () =>
            {
                for (var i = 0; i < 15; i++)
                {
                    await store.PutContextTypeAsync(ContextType.Named($"T{s}-{i}"));
                }
            })));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        (await first.GetContextTypesAsync()).Should().HaveCount(45);
    }

    /// <summary>Reads see whole batches only while another task writes.</summary>
    [Fact]
    public async Task Reads_see_whole_batches_only_while_another_task_writes()
    {
        const int batches = 20;
        const int perBatch = 50;
        await using var store = await factory.OpenEmptyAsync();
        var type = await store.AddArtifactTypeAsync(("p", PropertyKind.Int));
        var writer = Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
            {
                await store.PutArtifactsAsync(Enumerable.Range(0, perBatch).Select(i => Artifact.Of(type.StoredId, name: $"b{b}-{i}").With("p", i)).ToArray());
            }
        });

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = new List<int>();
            while (true)
            {
                // The last read starts after the writer ended, so it must see every batch.
                var writerDone = writer.IsCompleted;
                var page = await store.ListArtifactsAsync(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize });
                seen.Add(page.Items.Count);
                page.Items.Where(a => !a.Properties.ContainsKey("p")).Should().BeEmpty("a node is committed with its properties");
                if (writerDone)
                {
                    break;
                }
            }

            return seen;
        })).ToArray();

        await writer;
        foreach (var seen in await Task.WhenAll(readers))
        {
            seen.Should().OnlyContain(count => count % perBatch == 0, "a read sees whole committed batches");
            seen.Should().BeInAscendingOrder("a later read never sees less than an earlier one");
            seen[^1].Should().Be(batches * perBatch);
        }
    }
}
