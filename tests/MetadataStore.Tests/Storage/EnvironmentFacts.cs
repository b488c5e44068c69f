using Xunit;

namespace MetadataStore.Tests.Storage;

/// <summary>
/// A fact that needs the operating system to refuse writes to a read-only folder; skipped when it does not (a
/// privileged process, or a platform without Unix file modes), since the test could not produce its condition.
/// </summary>
public sealed class PermissionsEnforcedFactAttribute : FactAttribute
{
    public PermissionsEnforcedFactAttribute()
    {
        if (!PermissionsEnforced.Value)
        {
            Skip = "The operating system lets this process write to a read-only folder.";
        }
    }

    private static readonly Lazy<bool> PermissionsEnforced = new(Probe);

    private static bool Probe()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var folder = Directory.CreateTempSubdirectory("metadatastore-permission-probe-").FullName;
        try
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try
            {
                File.WriteAllBytes(Path.Combine(folder, "probe"), []);
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>
/// A fact that fills a small file system: it runs when <c>METADATASTORE_TEST_SMALL_FS</c> names an empty folder on
/// one (for example a tmpfs of a few hundred kilobytes), and is skipped otherwise, since filling a real disk is no
/// test to run by default.
/// </summary>
public sealed class SmallFileSystemFactAttribute : FactAttribute
{
    public const string Variable = "METADATASTORE_TEST_SMALL_FS";

    public SmallFileSystemFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Set {Variable} to a folder on a small file system to run it.";
        }
    }

    public static string Folder => Environment.GetEnvironmentVariable(Variable)!;
}
