using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace MetadataStore.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL server for tests and benchmarks: a throwaway cluster (initdb + pg_ctl on 127.0.0.1 at a free port,
/// its socket and data in a temporary folder, deleted on dispose), or the existing server named by
/// <see cref="ExistingServerVariable"/>. Either way it holds one database with three roles: an owner that creates
/// schemas, a writer with DML only and a reader with SELECT only. PostgreSQL is installed with apt-get when missing
/// and the process runs as root.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Names a connection string (of a role that may create roles and schemas) to use instead of a throwaway cluster.</summary>
    public const string ExistingServerVariable = "METADATASTORE_TEST_POSTGRES";

    /// <summary>The role that creates schemas and their tables.</summary>
    public const string OwnerRole = "mds_test_owner";

    /// <summary>The role that reads and writes rows but changes no schema.</summary>
    public const string WriterRole = "mds_test_writer";

    /// <summary>The role that only reads.</summary>
    public const string ReaderRole = "mds_test_reader";

    private const string FolderPrefix = "metadatastore-pg-";
    private const string Database = "metadatastore_test";
    private const string Superuser = "postgres";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);

    private readonly string? _folder;
    private readonly string? _binaries;
    private readonly string _rolePassword;
    private readonly List<string> _schemas = [];
    private bool _running;

    private PostgresServer(string adminConnectionString, string rolePassword, string? folder, string? binaries, int port)
    {
        AdminConnectionString = adminConnectionString;
        _rolePassword = rolePassword;
        _folder = folder;
        _binaries = binaries;
        Port = port;
        _running = folder is not null;
    }

    /// <summary>A superuser (or the given role) on the test database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The owner role on the test database.</summary>
    public string OwnerConnectionString => RoleConnectionString(OwnerRole);

    /// <summary>The writer role on the test database.</summary>
    public string WriterConnectionString => RoleConnectionString(WriterRole);

    /// <summary>The read-only role on the test database.</summary>
    public string ReaderConnectionString => RoleConnectionString(ReaderRole);

    /// <summary>The TCP port of the server.</summary>
    public int Port { get; }

    /// <summary>Whether this is a throwaway cluster this process started (which <see cref="StopAsync"/> and <see cref="StartAsync"/> may control).</summary>
    public bool IsThrowaway => _folder is not null;

    /// <summary>The server every test of this process shares; started on first use, stopped (a throwaway cluster deleted) when the process exits.</summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    /// <summary>Starts a throwaway cluster of its own (for tests that stop the server), whatever <see cref="ExistingServerVariable"/> says.</summary>
    public static async Task<PostgresServer> StartThrowawayAsync(CancellationToken cancellationToken = default)
    {
        var binaries = FindOrInstallBinaries();
        RemoveAbandonedClusters(binaries);
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + RandomToken(6));
        Directory.CreateDirectory(folder);
        StartWatchdog(binaries, folder);
        try
        {
            var superPassword = RandomToken(16);
            var passwordFile = Path.Combine(folder, "pwfile");
            await File.WriteAllTextAsync(passwordFile, superPassword + "\n", cancellationToken);
            if (IsRoot)
            {
                // initdb refuses to run as root: the cluster belongs to the postgres user.
                Run("chown", ["-R", "postgres:postgres", folder]);
            }

            RunAs(binaries, "initdb", ["-D", DataFolder(folder), "-U", Superuser, "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"]);
            File.Delete(passwordFile);

            var port = 0;
            for (var attempt = 0; ; attempt++)
            {
                port = FreePort();
                try
                {
                    RunPgCtl(binaries, folder, port);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 2)
                {
                    // Another process took the port between the probe and the start; try another.
                }
            }

            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = Superuser,
                Password = superPassword,
                Database = "postgres",
                Pooling = false,
            };
            await ExecuteAsync(admin.ConnectionString, $"CREATE DATABASE {Database};", cancellationToken);
            admin.Database = Database;
            var server = new PostgresServer(admin.ConnectionString, RandomToken(16), folder, binaries, port);
            await server.CreateRolesAsync(cancellationToken);
            return server;
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>A connection string of <paramref name="role"/> on the test database.</summary>
    public string RoleConnectionString(string role) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = role, Password = _rolePassword, Pooling = true }.ConnectionString;

    /// <summary>A schema name no other test uses (the schema itself is not created); dropped on dispose on an existing server.</summary>
    public string NewSchemaName()
    {
        var name = "t_" + RandomToken(8).ToLowerInvariant();
        lock (_schemas)
        {
            _schemas.Add(name);
        }

        return name;
    }

    /// <summary>Drops schemas (with everything in them) that tests no longer need.</summary>
    public async Task DropSchemasAsync(IReadOnlyCollection<string> schemas, CancellationToken cancellationToken = default)
    {
        if (schemas.Count == 0)
        {
            return;
        }

        await ExecuteAsync(AdminConnectionString, $"DROP SCHEMA IF EXISTS {string.Join(", ", schemas.Select(PostgreSqlSchema.Quote))} CASCADE;", cancellationToken);
        lock (_schemas)
        {
            _schemas.RemoveAll(schemas.Contains);
        }
    }

    /// <summary>Stops a throwaway cluster, ending every session (for tests of a lost server).</summary>
    public Task StopAsync(bool immediate = false)
    {
        RequireThrowaway();
        RunAs(_binaries!, "pg_ctl", ["-D", DataFolder(_folder!), "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"]);
        _running = false;
        return Task.CompletedTask;
    }

    /// <summary>Starts a stopped throwaway cluster again, on the same port.</summary>
    public Task StartAsync()
    {
        RequireThrowaway();
        RunPgCtl(_binaries!, _folder!, Port);
        _running = true;
        return Task.CompletedTask;
    }

    /// <summary>Stops and deletes a throwaway cluster; on an existing server, drops the schemas this process named.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_folder is null)
        {
            string[] schemas;
            lock (_schemas)
            {
                schemas = [.. _schemas];
                _schemas.Clear();
            }

            foreach (var schema in schemas)
            {
                await ExecuteAsync(AdminConnectionString, $"DROP SCHEMA IF EXISTS {PostgreSqlSchema.Quote(schema)} CASCADE;", CancellationToken.None);
            }

            return;
        }

        if (_running)
        {
            _running = false;
            try
            {
                RunAs(_binaries!, "pg_ctl", ["-D", DataFolder(_folder), "-m", "immediate", "-w", "-t", "60", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; the folder goes either way.
            }
        }

        DeleteFolder(_folder);
    }

    /// <summary>Runs SQL text on a new connection.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
        PostgresServer server;
        if (string.IsNullOrWhiteSpace(existing))
        {
            server = await StartThrowawayAsync();
        }
        else
        {
            server = new PostgresServer(existing, RandomToken(16), null, null, new NpgsqlConnectionStringBuilder(existing).Port);
            await server.CreateRolesAsync(CancellationToken.None);
        }

        if (!server.IsThrowaway)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return server;
    }

    /// <summary>
    /// The owner may create schemas in the database; whatever the owner creates there, the writer may read and
    /// write and the reader may read. On an existing server the roles are created when missing and their
    /// passwords reset, so several runs can share it.
    /// </summary>
    private async Task CreateRolesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var database = connection.Database;
        var sql = $"""
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OwnerRole}') THEN CREATE ROLE {OwnerRole} LOGIN; END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{WriterRole}') THEN CREATE ROLE {WriterRole} LOGIN; END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ReaderRole}') THEN CREATE ROLE {ReaderRole} LOGIN; END IF;
            END
            $$;
            ALTER ROLE {OwnerRole} PASSWORD '{_rolePassword}';
            ALTER ROLE {WriterRole} PASSWORD '{_rolePassword}';
            ALTER ROLE {ReaderRole} PASSWORD '{_rolePassword}';
            GRANT CONNECT ON DATABASE {PostgreSqlSchema.Quote(database)} TO {OwnerRole}, {WriterRole}, {ReaderRole};
            GRANT CREATE ON DATABASE {PostgreSqlSchema.Quote(database)} TO {OwnerRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {OwnerRole} GRANT USAGE ON SCHEMAS TO {WriterRole}, {ReaderRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {OwnerRole} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {WriterRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {OwnerRole} GRANT USAGE, SELECT ON SEQUENCES TO {WriterRole};
            ALTER DEFAULT PRIVILEGES FOR ROLE {OwnerRole} GRANT SELECT ON TABLES TO {ReaderRole};
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void RequireThrowaway()
    {
        if (_folder is null)
        {
            throw new InvalidOperationException($"Only a throwaway cluster can be stopped and started; this server comes from {ExistingServerVariable}.");
        }
    }

    private static void RunPgCtl(string binaries, string folder, int port)
    {
        // fsync and full-page writes off: the cluster is thrown away, and a crash of the machine is not a test case.
        var options = string.Join(' ', [
            "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder, "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300",
        ]);
        RunAs(binaries, "pg_ctl", ["-D", DataFolder(folder), "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    }

    /// <summary>
    /// Starts a shell that waits for this process to end, however it ends (a test host is often ended before its
    /// exit handlers finish), then stops the cluster and deletes its folder. It outlives this process, so its
    /// standard streams are closed first: a runner reading this process's output must not wait for it.
    /// </summary>
    private static void StartWatchdog(string binaries, string folder)
    {
        var stop = (IsRoot ? "runuser -u postgres -- " : string.Empty) + "\"$3/pg_ctl\" -D \"$2/data\" -m immediate -w -t 30 stop";
        var script = "exec </dev/null >/dev/null 2>&1; while kill -0 \"$1\"; do sleep 1; done; "
            + $"if [ -f \"$2/data/postmaster.pid\" ]; then {stop}; fi; rm -rf \"$2\"";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in new[] { "sh", "-c", script, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder, binaries })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start) ?? throw new InvalidOperationException("Could not start the cluster's watchdog.");
    }

    private static string DataFolder(string folder) => Path.Combine(folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest /usr/lib/postgresql/N/bin, or the folder of pg_ctl on the PATH; installs PostgreSQL first when there is none.</summary>
    private static string FindOrInstallBinaries()
    {
        var found = FindBinaries();
        if (found is not null)
        {
            return found;
        }

        if (!IsRoot)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl on the PATH) and this process is not root, so it cannot "
                + $"install it. Install it (apt-get install postgresql) or set {ExistingServerVariable} to the connection string of a server to use.");
        }

        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        Run("apt-get", ["update", "-qq"], environment);
        Run("apt-get", ["install", "-y", "-qq", "postgresql"], environment);
        return FindBinaries() ?? throw new InvalidOperationException("apt-get installed postgresql, yet no pg_ctl was found under /usr/lib/postgresql/*/bin.");
    }

    private static string? FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        if (Directory.Exists(Root))
        {
            var newest = Directory.GetDirectories(Root)
                .Select(d => (Folder: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Folder, "pg_ctl")) && File.Exists(Path.Combine(d.Folder, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Folder)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "pg_ctl")) && File.Exists(Path.Combine(folder, "initdb")))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>Stops and deletes the clusters of test processes that ended without cleaning up (killed, for example).</summary>
    private static void RemoveAbandonedClusters(string binaries)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder)[FolderPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ProcessExists(pid))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(DataFolder(folder), "postmaster.pid")))
                {
                    RunAs(binaries, "pg_ctl", ["-D", DataFolder(folder), "-m", "immediate", "-w", "-t", "30", "stop"]);
                }
            }
            catch (InvalidOperationException)
            {
                // Not running any more.
            }

            DeleteFolder(folder);
        }

        static bool ProcessExists(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder left behind is removed by the next run.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RandomToken(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Runs a PostgreSQL program as the postgres user when this process is root (initdb and the server refuse root).</summary>
    private static void RunAs(string binaries, string program, string[] arguments)
    {
        var path = Path.Combine(binaries, program);
        if (IsRoot)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string program, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The folder of a throwaway cluster: the postgres user may be unable to enter the caller's.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output.Result}\n{error.Result}");
        }
    }
}
