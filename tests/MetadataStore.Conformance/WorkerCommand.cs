using System.Globalization;

namespace MetadataStore.Conformance;

/// <summary>
/// Starts a concurrency worker process on one database: the program and its leading arguments, which say how to open
/// the database (for SQLite a file path; for a server a connection string, for example). The suite appends the start
/// signal file, the worker's number, the number of workers and the number of executions; the worker passes its
/// arguments to <see cref="WorkerProgram.RunAsync"/>.
/// </summary>
/// <param name="FileName">The program to start.</param>
/// <param name="Arguments">The leading arguments.</param>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>A worker built as a .NET assembly, started by the host that runs the tests, so it runs on the same runtime.</summary>
    /// <param name="assemblyPath">The worker's .dll.</param>
    /// <param name="databaseArguments">How the worker opens the database.</param>
    /// <returns>The command.</returns>
    public static WorkerCommand ForAssembly(string assemblyPath, params IEnumerable<string> databaseArguments) =>
        new(DotnetHost(), [assemblyPath, .. databaseArguments]);

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

/// <summary>The body of a concurrency worker program; a backend's worker is a <c>Main</c> that calls <see cref="RunAsync"/>.</summary>
public static class WorkerProgram
{
    /// <summary>The line a worker prints once it is waiting for the start signal.</summary>
    public const string ReadyLine = "ready";

    /// <summary>The line a worker prints when its ring link was refused as a cycle.</summary>
    public const string RingRefusedLine = "ring-refused";

    /// <summary>
    /// Runs a worker: prints <see cref="ReadyLine"/>, waits for the start signal file (so that all workers start at
    /// once), opens its store and records <see cref="ConcurrencyWorkload.RunAsync"/>. Exits 0 when every call
    /// succeeded; otherwise prints the exception to standard error and exits 1.
    /// </summary>
    /// <param name="args">The database arguments, then the start signal file, the worker's number, the number of workers and of executions.</param>
    /// <param name="open">Opens a store from the database arguments.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, Func<IReadOnlyList<string>, Task<IMetadataStore>> open)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(open);
        var n = args.Length;
        if (n < 4
            || !int.TryParse(args[n - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var worker)
            || !int.TryParse(args[n - 2], NumberStyles.None, CultureInfo.InvariantCulture, out var workers)
            || !int.TryParse(args[n - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var executions))
        {
            await Console.Error.WriteLineAsync("usage: <database arguments...> <start signal file> <worker> <workers> <executions>").ConfigureAwait(false);
            return 2;
        }

        var startSignal = args[n - 4];
        Console.WriteLine(ReadyLine);

        // A bounded poll, so a worker never outlives a failed test.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(startSignal))
        {
            if (DateTime.UtcNow > deadline)
            {
                await Console.Error.WriteLineAsync($"worker {worker}: no start signal at {startSignal}").ConfigureAwait(false);
                return 3;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        try
        {
            var store = await open(args[..(n - 4)]).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                if (await ConcurrencyWorkload.RunAsync(store, worker, workers, executions).ConfigureAwait(false))
                {
                    Console.WriteLine(RingRefusedLine);
                }
            }

            return 0;
        }
#pragma warning disable CA1031 // Whatever failed is reported to the test through the exit code and standard error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"worker {worker}: {ex}").ConfigureAwait(false);
            return 1;
        }
    }
}
