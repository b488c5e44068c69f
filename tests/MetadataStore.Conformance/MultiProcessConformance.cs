using System.Diagnostics;
using System.Globalization;
using System.Text;
using FluentAssertions;
using Xunit;

namespace MetadataStore.Conformance;

/// <summary>
/// Eight worker processes open one new database at the same moment (racing on registering types and creating shared
/// contexts) and record <see cref="ConcurrencyWorkload"/>. Nothing may be lost and no caller may see an error. A
/// backend whose factory gives no <see cref="WorkerCommand"/> passes without running.
/// </summary>
public abstract class MultiProcessConformance(IStoreFactory factory) : IDisposable
{
    private const int Workers = 8;
    private const int ExecutionsPerWorker = 25;

    // Generous: the bound exists only so a hung worker fails the test instead of the whole run.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("metadatastore-multiprocess-");

    /// <summary>Removes the start signal's folder and lets the factory remove what it created.</summary>
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

        factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>PutExecution loses nothing when eight processes write one database.</summary>
    [Fact]
    public async Task PutExecution_loses_nothing_when_eight_processes_write_one_database()
    {
        await using var store = await factory.OpenEmptyAsync();
        var command = factory.WorkerFor(store);
        if (command is null)
        {
            return;
        }

        var startSignal = Path.Combine(_folder.FullName, "go");
        var workers = Enumerable.Range(0, Workers).Select(id => WorkerProcess.Start(command, startSignal, id)).ToList();
        try
        {
            // Release all workers together, once each is waiting, so they race.
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

        var refused = workers.Count(w => w.StandardOutput.Split('\n').Any(line => line.TrimEnd() == WorkerProgram.RingRefusedLine));
        await using var reader = await factory.OpenSameAsync(store);
        await ConcurrencyWorkload.AssertEverythingStoredAsync(reader, Workers, ExecutionsPerWorker, refused);
    }

    /// <summary>One worker process, with its output captured.</summary>
    private sealed class WorkerProcess : IDisposable
    {
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

        public static WorkerProcess Start(WorkerCommand command, string startSignal, int id)
        {
            var startInfo = new ProcessStartInfo(command.FileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in command.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            startInfo.ArgumentList.Add(startSignal);
            startInfo.ArgumentList.Add(id.ToString(CultureInfo.InvariantCulture));
            startInfo.ArgumentList.Add(Workers.ToString(CultureInfo.InvariantCulture));
            startInfo.ArgumentList.Add(ExecutionsPerWorker.ToString(CultureInfo.InvariantCulture));

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

            if (line == WorkerProgram.ReadyLine)
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
    }
}
