using System.Diagnostics;
using System.Reflection;
using System.Text;
using FluentAssertions;
using MetadataStore.ConcurrencyWorker;
using Xunit;

namespace MetadataStore.Tests.Concurrency;

/// <summary>
/// Several worker processes open one new SQLite file at the same moment (racing on creating the schema and
/// registering types) and record PutExecution calls into a shared, reused context. Nothing may be lost and no
/// caller may see an error.
/// </summary>
public sealed class MultiProcessWriterTest : IDisposable
{
    private const int Workers = 5;
    private const int ExecutionsPerWorker = 40;

    // Generous: the bound exists only so a hung worker fails the test instead of the whole run.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("metadatastore-multiprocess-");

    [Fact]
    public async Task PutExecution_loses_nothing_when_several_processes_write_one_new_file()
    {
        var databasePath = Path.Combine(_folder.FullName, "shared.db");
        var startSignal = Path.Combine(_folder.FullName, "go");

        var workers = Enumerable.Range(0, Workers)
            .Select(id => WorkerProcess.Start(databasePath, startSignal, id, ExecutionsPerWorker))
            .ToList();
        try
        {
            // Release all workers together, once each is waiting, so they race on the new file.
            using (var timeout = new CancellationTokenSource(Patience))
            {
                await Task.WhenAll(workers.Select(w => w.WaitUntilReadyAsync(timeout.Token)));
            }

            await File.WriteAllTextAsync(startSignal, "go");

            using (var timeout = new CancellationTokenSource(Patience))
            {
                await Task.WhenAll(workers.Select(w => w.WaitForExitAsync(timeout.Token)));
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        foreach (var worker in workers)
        {
            worker.StandardError.Should().BeEmpty($"worker {worker.Id} must report no error");
            worker.ExitCode.Should().Be(0, $"worker {worker.Id} must succeed; its output was: {worker.StandardOutput}");
        }

        File.Exists(databasePath).Should().BeTrue();
        await using var store = await new MetadataStoreBuilder().UseSqliteFile(databasePath).OpenAsync();
        await AssertEverythingStoredAsync(store);
    }

    private static async Task AssertEverythingStoredAsync(IMetadataStore store)
    {
        const int total = Workers * ExecutionsPerWorker;
        var expectedExecutions = new List<string>();
        var expectedArtifacts = new List<string>();
        for (var w = 0; w < Workers; w++)
        {
            for (var i = 0; i < ExecutionsPerWorker; i++)
            {
                expectedExecutions.Add(WorkloadNames.Execution(w, i));
                expectedArtifacts.Add(WorkloadNames.Input(w, i, 0));
                expectedArtifacts.Add(WorkloadNames.Input(w, i, 1));
                expectedArtifacts.Add(WorkloadNames.Output(w, i));
            }
        }

        // Types: registered by every worker at once, stored once each.
        (await store.GetArtifactTypesAsync()).Select(t => t.Name)
            .Should().BeEquivalentTo([WorkloadNames.DatasetType, WorkloadNames.ModelType]);
        (await store.GetExecutionTypesAsync()).Select(t => t.Name)
            .Should().BeEquivalentTo([WorkloadNames.TrainType]);
        (await store.GetContextTypesAsync()).Select(t => t.Name)
            .Should().BeEquivalentTo([WorkloadNames.ExperimentType]);

        // Nodes: exactly what the workers wrote.
        var executions = await ReadAllAsync(options => store.ListExecutionsAsync(options));
        executions.Select(e => e.Name).Should().BeEquivalentTo(expectedExecutions);
        executions.Should().OnlyContain(e => e.LastKnownState == ExecutionState.Complete);

        var artifacts = await ReadAllAsync(options => store.ListArtifactsAsync(options));
        artifacts.Select(a => a.Name).Should().BeEquivalentTo(expectedArtifacts);

        // The shared context: created by whichever worker came first, reused by every other call.
        var contexts = await ReadAllAsync(options => store.ListContextsAsync(options));
        contexts.Should().ContainSingle();
        var experiment = contexts[0];
        experiment.Name.Should().Be(WorkloadNames.Experiment);
        experiment.TypeName.Should().Be(WorkloadNames.ExperimentType);

        var associated = await ReadAllAsync(options => store.ListExecutionsByContextAsync(experiment.StoredId, options));
        associated.Should().HaveCount(total);
        var attributed = await ReadAllAsync(options => store.ListArtifactsByContextAsync(experiment.StoredId, options));
        attributed.Should().HaveCount(3 * total);

        // Events: two inputs and one output per execution, each linking the artifacts written with it.
        var artifactNames = artifacts.ToDictionary(a => a.StoredId, a => a.Name);
        var events = await store.GetEventsByExecutionIdsAsync(executions.Select(e => e.StoredId).ToList());
        events.Should().HaveCount(3 * total);
        var eventsByExecution = events.ToLookup(e => e.ExecutionId!.Value);
        foreach (var execution in executions)
        {
            var (worker, index) = ParseExecutionName(execution.Name!);
            var linked = eventsByExecution[execution.StoredId]
                .Select(e => (e.Type, Artifact: artifactNames[e.ArtifactId!.Value]))
                .ToList();
            linked.Should().BeEquivalentTo(
                [
                    (EventType.Input, WorkloadNames.Input(worker, index, 0)),
                    (EventType.Input, WorkloadNames.Input(worker, index, 1)),
                    (EventType.Output, WorkloadNames.Output(worker, index)),
                ],
                $"execution {execution.Name} was recorded with exactly these events");
        }
    }

    private static (int Worker, int Index) ParseExecutionName(string name)
    {
        // train-w{worker}-{index}
        var parts = name.Split('-');
        return (int.Parse(parts[1].AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<List<T>> ReadAllAsync<T>(Func<NodeListOptions, Task<NodePage<T>>> list)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var page = await list(new NodeListOptions { PageSize = NodeListOptions.MaxPageSize, PageToken = token });
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    /// <summary>One worker process, with its output captured.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private const string ReadyLine = "ready";

        private readonly Process _process;
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private WorkerProcess(int id, Process process)
        {
            Id = id;
            _process = process;
        }

        public int Id { get; }

        /// <summary>The exit code, kept when the process is disposed; -1 when it had to be killed.</summary>
        public int ExitCode { get; private set; } = -1;

        public string StandardOutput
        {
            get
            {
                lock (_stdout)
                {
                    return _stdout.ToString();
                }
            }
        }

        public string StandardError
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        public static WorkerProcess Start(string databasePath, string startSignal, int id, int executions)
        {
            var startInfo = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add(WorkerAssemblyPath());
            startInfo.ArgumentList.Add(databasePath);
            startInfo.ArgumentList.Add(startSignal);
            startInfo.ArgumentList.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            startInfo.ArgumentList.Add(executions.ToString(System.Globalization.CultureInfo.InvariantCulture));

            var worker = new WorkerProcess(id, new Process { StartInfo = startInfo });
            worker._process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data);
            worker._process.ErrorDataReceived += (_, e) => worker.OnError(e.Data);
            worker._process.Exited += (_, _) => worker._ready.TrySetResult();
            worker._process.EnableRaisingEvents = true;
            worker._process.Start();
            worker._process.BeginOutputReadLine();
            worker._process.BeginErrorReadLine();
            return worker;
        }

        public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

        public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

        public void Dispose()
        {
            if (_process.HasExited)
            {
                // Drains the redirected output before the code is read.
                _process.WaitForExit();
                ExitCode = _process.ExitCode;
            }
            else
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void OnOutput(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_stdout)
            {
                _stdout.AppendLine(line);
            }

            if (line == ReadyLine)
            {
                _ready.TrySetResult();
            }
        }

        private void OnError(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }

        private static string WorkerAssemblyPath()
        {
            var path = typeof(MultiProcessWriterTest).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "ConcurrencyWorkerPath")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new InvalidOperationException($"The concurrency worker was not built where the test project recorded it: '{path}'.");
            }

            return path;
        }

        // The host running the tests, so the worker runs on the same runtime.
        private static string DotnetHost()
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }
}
