using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace MetadataStore.MLNet;

/// <summary>
/// Where a run happened: versions, OS, machine, the git state of the working folder and the environment variables
/// the caller allowed. Read once per tracker: none of it changes while a process runs, except the git state, which a
/// process that commits as it trains would see late.
/// </summary>
internal sealed record RunContext(IReadOnlyDictionary<string, PropertyValue> Values)
{
    public static RunContext Read(MLNetTrackerOptions options, ILogger logger)
    {
        var values = new SortedDictionary<string, PropertyValue>(StringComparer.Ordinal)
        {
            ["mlnet_version"] = MLNetVersion(),
            ["dotnet_version"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["os_architecture"] = RuntimeInformation.OSArchitecture.ToString(),
            ["process_architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
            ["machine"] = Environment.MachineName,
            ["processor_count"] = Environment.ProcessorCount,
        };

        var folder = options.WorkingDirectory ?? Environment.CurrentDirectory;
        if (Git(folder, logger, "rev-parse", "HEAD") is { Length: > 0 } commit)
        {
            values["git_commit"] = commit.Trim();
            if (Git(folder, logger, "status", "--porcelain", "--untracked-files=no") is { } status)
            {
                values["git_dirty"] = status.Trim().Length > 0;
            }
        }

        var withheld = new List<string>();
        foreach (var name in options.EnvironmentVariables.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (Environment.GetEnvironmentVariable(name) is not { } value)
            {
                continue;
            }

            if (SecretDetector.IsSecret(name, value))
            {
                withheld.Add(name);
                continue;
            }

            values["env." + name] = value;
        }

        if (withheld.Count > 0)
        {
            logger.LogWarning("Environment variables withheld because they look like secrets: {Names}", string.Join(", ", withheld));
            values["env_withheld"] = string.Join(",", withheld);
        }

        return new RunContext(values);
    }

    public static string MLNetVersion()
    {
        var version = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(MLContext).Assembly.GetName().Version?.ToString()
            ?? "unknown";

        // "5.0.1+<commit>": the build's commit is ML.NET's, not the user's.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    // The output of a git command in the folder, or null when git is missing, the folder is no repository or git fails.
    private static string? Git(string folder, ILogger logger, params string[] arguments)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                logger.LogDebug("git {Arguments} did not finish in time", arguments);
                return null;
            }

            return process.ExitCode == 0 ? output.GetAwaiter().GetResult() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            logger.LogDebug(ex, "git is not available");
            return null;
        }
    }
}
