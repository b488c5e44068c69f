using System.Diagnostics;

namespace MetadataStore.Tests.Lineage;

/// <summary>
/// The outside programs the export tests check output with, installed when missing: Graphviz and Chromium from
/// Debian's packages, and the <c>mermaid</c> npm package into a cache folder under the temporary directory that later
/// runs reuse.
/// </summary>
internal static class ExternalTools
{
    public const string MermaidVersion = "11.17.2";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string CacheFolder { get; } = Path.Combine(Path.GetTempPath(), "metadatastore-test-tools");

    /// <summary>The path of <c>dot</c>, installing Debian's graphviz when it is missing.</summary>
    public static Task<string> DotAsync() => AptAsync("dot", "graphviz");

    /// <summary>The path of Chromium, installing Debian's chromium when it is missing.</summary>
    public static Task<string> ChromiumAsync() => AptAsync("chromium", "chromium");

    /// <summary>The folder that holds <c>node_modules/mermaid</c>, installing the pinned version when missing.</summary>
    public static async Task<string> MermaidAsync()
    {
        var folder = Path.Combine(CacheFolder, "mermaid-" + MermaidVersion);
        var bundle = Path.Combine(folder, "node_modules", "mermaid", "dist", "mermaid.min.js");
        await Gate.WaitAsync();
        try
        {
            if (!File.Exists(bundle))
            {
                Directory.CreateDirectory(folder);
                await RunAsync("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel=error", "mermaid@" + MermaidVersion], TimeSpan.FromMinutes(5));
            }
        }
        finally
        {
            Gate.Release();
        }

        return File.Exists(bundle) ? folder : throw new InvalidOperationException($"npm did not install mermaid {MermaidVersion} into {folder}.");
    }

    /// <summary>Runs a program to its end; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    private static async Task<string> AptAsync(string binary, string package)
    {
        var path = Path.Combine("/usr/bin", binary);
        await Gate.WaitAsync();
        try
        {
            if (!File.Exists(path))
            {
                var (code, _, error) = await RunAsync("bash", ["-c", $"apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {package}"], TimeSpan.FromMinutes(10));
                if (code != 0)
                {
                    throw new InvalidOperationException($"Installing {package} failed ({code}): {error}");
                }
            }
        }
        finally
        {
            Gate.Release();
        }

        return path;
    }
}
