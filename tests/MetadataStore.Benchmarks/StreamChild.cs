using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MetadataStore.Benchmarks;

/// <summary>
/// Streams a whole store in a fresh process and reports the peak of that process's own memory, so nothing the parent
/// allocated before counts: on Linux the largest RssAnon + RssShmem sampled every 5 ms (pages of a memory-mapped
/// database file are the operating system's file cache, shared and reclaimable, and are not counted), elsewhere the
/// largest Process.WorkingSet64.
/// </summary>
internal static class StreamChild
{
    /// <summary>Runs one child; returns the peak of its own memory in MB.</summary>
    public static double Spawn(string mode, string path, int pageSize)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var arg in new[] { "--child", mode, path, pageSize.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{mode} child failed ({process.ExitCode}): {output}");
        }

        var fields = output.Trim().Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        Console.Error.WriteLine($"# {mode}: {fields["count"]} artifacts in {fields["seconds"]} s, peak {fields["peak_mb"]} MB");
        return double.Parse(fields["peak_mb"], CultureInfo.InvariantCulture);
    }

    /// <summary>The child's entry point.</summary>
    public static async Task<int> RunAsync(string mode, string path, int pageSize)
    {
        using var sampler = new PeakSampler();
        var sw = Stopwatch.StartNew();
        long count = 0;
        long properties = 0;
        if (mode == "stream-library")
        {
            await using var store = await BenchFiles.OpenLibraryAsync(path);
            await foreach (var artifact in store.EnumerateArtifactsAsync(new NodeListOptions { PageSize = pageSize }))
            {
                count++;
                properties += artifact.Properties.Count;
            }
        }
        else
        {
            using var raw = RawStore.Open(path);
            count = raw.StreamAll(pageSize, node => properties += node.Properties.Count);
        }

        var seconds = sw.Elapsed.TotalSeconds;
        var peak = sampler.Stop();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_mb={peak / 1048576.0:F1} count={count} properties={properties} seconds={seconds:F1}"));
        return 0;
    }

    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public PeakSampler()
        {
            _thread = new Thread(Sample) { IsBackground = true, Name = "peak-working-set" };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _stop = true;

        private void Sample()
        {
            using var self = Process.GetCurrentProcess();
            while (!_stop)
            {
                var own = OwnMemory(self);
                if (own > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, own);
                }

                Thread.Sleep(5);
            }
        }

        private static long OwnMemory(Process self)
        {
            const string status = "/proc/self/status";
            if (!File.Exists(status))
            {
                self.Refresh();
                return self.WorkingSet64;
            }

            long kb = 0;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal) || line.StartsWith("RssShmem:", StringComparison.Ordinal))
                {
                    kb += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }

            return kb * 1024;
        }
    }
}
