using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace MetadataStore.Benchmarks;

/// <summary>
/// Streams a whole store in a fresh process and reports that process's peak working set, so nothing the parent
/// allocated before counts. The peak is the largest of Process.WorkingSet64 sampled every 5 ms and, on Linux,
/// the kernel's high-water mark (VmHWM).
/// </summary>
internal static class StreamChild
{
    /// <summary>Runs one child; returns its peak working set in MB.</summary>
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
            return Math.Max(Interlocked.Read(ref _peak), HighWaterMark());
        }

        public void Dispose() => _stop = true;

        private void Sample()
        {
            using var self = Process.GetCurrentProcess();
            while (!_stop)
            {
                self.Refresh();
                var ws = self.WorkingSet64;
                if (ws > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, ws);
                }

                Thread.Sleep(5);
            }
        }

        private static long HighWaterMark()
        {
            const string status = "/proc/self/status";
            if (!File.Exists(status))
            {
                return 0;
            }

            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }

            return 0;
        }
    }
}
