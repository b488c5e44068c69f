using FluentAssertions;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>A server that stops in the middle of a write loop, on a throwaway cluster of this test's own.</summary>
public sealed class OutageTest
{
    private const int Before = 20;
    private const int FailuresWhileDown = 5;
    private const int After = 20;

    [Fact]
    public async Task Callers_get_Unavailable_while_the_server_is_down_and_the_same_store_works_after_a_restart_with_nothing_partial()
    {
        await using var server = await PostgresServer.StartThrowawayAsync();
        await using var store = await new MetadataStoreBuilder().UsePostgreSql(server.OwnerConnectionString, "outage").OpenAsync();
        var trainer = await store.PutExecutionTypeAsync(ExecutionType.Named("Trainer"));
        var model = await store.PutArtifactTypeAsync(ArtifactType.Named("Model"));
        var pipeline = await store.PutContextTypeAsync(ContextType.Named("Pipeline"));
        var options = new PutExecutionOptions { ReuseContextIfAlreadyExists = true };
        var succeeded = new List<string>();
        var failures = new List<MetadataStoreException>();
        var next = 0;

        async Task<bool> PutAsync()
        {
            var name = "run-" + next++;
            try
            {
                await store.PutExecutionAsync(
                    Execution.Of(trainer, ExecutionState.Complete, name),
                    [new ArtifactAndEvent(Artifact.Of(model, "file:///models/" + name, name), Event.Of(EventType.Output).WithPath("model", 0))],
                    [Context.Of(pipeline, "nightly")],
                    options);
                succeeded.Add(name);
                return true;
            }
            catch (MetadataStoreException ex)
            {
                failures.Add(ex);
                return false;
            }
        }

        for (var i = 0; i < Before; i++)
        {
            (await PutAsync()).Should().BeTrue();
        }

        // Stop while calls run: the loop keeps calling, the server goes away under it.
        var stopping = Task.Run(() => server.StopAsync());
        while (!stopping.IsCompleted || failures.Count < FailuresWhileDown)
        {
            await PutAsync();
            if (failures.Count > 1_000)
            {
                break;
            }
        }

        await stopping;
        failures.Should().NotBeEmpty();
        failures.Should().OnlyContain(f => f.ErrorCode == MetadataErrorCode.Unavailable, "a lost server is Unavailable, whatever statement it interrupted");

        await server.StartAsync();
        var afterRestart = 0;
        for (var attempt = 0; afterRestart < After && attempt < After * 10; attempt++)
        {
            // Every call after the restart succeeds; the loop bound only keeps a broken test from spinning.
            (await PutAsync()).Should().BeTrue(failures.Count > 0 ? failures[^1].Message : string.Empty);
            afterRestart++;
        }

        // Nothing partial: every execution has its model, its event with the whole path and its context, and every
        // call that returned is there.
        var executions = new List<Execution>();
        await foreach (var execution in store.EnumerateExecutionsAsync())
        {
            executions.Add(execution);
        }

        executions.Select(e => e.Name).Should().Contain(succeeded);
        var events = await store.GetEventsByExecutionIdsAsync(executions.Select(e => e.Id!.Value).ToArray());
        events.Should().HaveCount(executions.Count);
        events.Should().OnlyContain(e => e.Type == EventType.Output && e.Path.Count == 2);
        var artifacts = await store.GetArtifactsByIdAsync(events.Select(e => e.ArtifactId!.Value).ToArray());
        artifacts.Select(a => a.Name).Should().BeEquivalentTo(executions.Select(e => e.Name));
        foreach (var execution in executions)
        {
            (await store.GetContextsByExecutionAsync(execution.Id!.Value)).Should().ContainSingle().Which.Name.Should().Be("nightly");
        }
    }
}
