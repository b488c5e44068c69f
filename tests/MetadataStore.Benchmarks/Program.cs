using System.Globalization;
using BenchmarkDotNet.Running;

namespace MetadataStore.Benchmarks;

/// <summary>
/// <c>--quick [scenario...]</c>: every scenario (or the named ones) against the raw ADO.NET baseline, one line each, in a few minutes.
/// Anything else goes to BenchmarkDotNet (for example <c>--filter *Publish*</c>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "--quick")
        {
            return await QuickRunner.RunAsync(args[1..]);
        }

        if (args.Length == 4 && args[0] == "--child")
        {
            return await StreamChild.RunAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
