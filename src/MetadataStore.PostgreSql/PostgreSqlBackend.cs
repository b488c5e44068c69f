using System.Data;
using MetadataStore.Storage.Relational;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MetadataStore.PostgreSql;

/// <summary>
/// The PostgreSQL backend: MLMD's schema v10 in one schema of a PostgreSQL database, through an
/// <see cref="NpgsqlDataSource"/>. Each unit of work runs on a session (an open connection with its prepared
/// statements) taken from a small stack of idle sessions, or opened from the data source's pool when none is idle;
/// a session whose connection broke is dropped with every idle one, so the first call after the server comes back
/// opens fresh connections. The relational engine runs the units of work with <see cref="PostgreSqlDialect"/>.
/// </summary>
internal sealed class PostgreSqlBackend : RelationalBackend
{
    // Idle sessions kept for reuse; more concurrent units of work open more, and the extra ones close on release.
    private static readonly int MaxIdleSessions = Math.Clamp(Environment.ProcessorCount * 2, 4, 32);

    // A session idle longer than this is checked before use: the server may have restarted meanwhile, and the
    // caller should not get Unavailable from a connection that died while no call used it.
    private const long CheckIdleAfterMilliseconds = 1_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _schema;
    private readonly Stack<(RelationalSession Session, long ReleasedAt)> _idle = new();

    public PostgreSqlBackend(NpgsqlDataSource dataSource, bool ownsDataSource, string schema, ILogger logger)
        : base(new PostgreSqlDialect(schema), logger)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schema = schema;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"the PostgreSQL schema '{schema}' of database '{settings.Database ?? settings.Username}' on {settings.Host}:{settings.Port}";
    }

    public override string Description { get; }

    public override async ValueTask OpenAsync(SchemaMode mode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        try
        {
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await new PostgreSqlSchemaManager(connection, _schema, ((PostgreSqlDialect)Dialect).WriteLockKey, Description, Logger)
                .OpenAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw Translate(ex);
        }
    }

    protected override async ValueTask<RelationalSession> AcquireSessionAsync(bool write, CancellationToken cancellationToken)
    {
        while (true)
        {
            (RelationalSession Session, long ReleasedAt) idle;
            lock (_idle)
            {
                if (!_idle.TryPop(out idle))
                {
                    break;
                }
            }

            if (Environment.TickCount64 - idle.ReleasedAt < CheckIdleAfterMilliseconds || IsAlive(idle.Session))
            {
                return idle.Session;
            }

            idle.Session.Dispose();
            DisposeIdle();
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new RelationalSession(Dialect, connection);
    }

    protected override void ReleaseSession(RelationalSession session, bool write)
    {
        var connection = (NpgsqlConnection)session.Connection;
        if (connection.FullState != ConnectionState.Open)
        {
            // Broken (the server went away or restarted): the idle connections, ours and the pool's, most likely too.
            session.Dispose();
            DisposeIdle();
            _dataSource.Clear();
            return;
        }

        lock (_idle)
        {
            if (!IsDisposed && _idle.Count < MaxIdleSessions)
            {
                _idle.Push((session, Environment.TickCount64));
                return;
            }
        }

        session.Dispose();
    }

    protected override void Close()
    {
        DisposeIdle();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static bool IsAlive(RelationalSession session)
    {
        try
        {
            using var command = new NpgsqlCommand("SELECT 1", (NpgsqlConnection)session.Connection);
            command.ExecuteScalar();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void DisposeIdle()
    {
        RelationalSession[] sessions;
        lock (_idle)
        {
            sessions = [.. _idle.Select(i => i.Session)];
            _idle.Clear();
        }

        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }
}
