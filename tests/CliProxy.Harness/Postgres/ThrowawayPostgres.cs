using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace CliProxy.Harness;

/// <summary>
/// A throwaway PostgreSQL for tests, the benchmark and <c>deploy/local-cluster.sh</c>: a private
/// server started from the local PostgreSQL binaries (15 or later; initdb + pg_ctl on a free
/// loopback port, fsync off), removed again on dispose. If the environment variable named by
/// <see cref="ExternalServerVariable"/> holds a connection string, that server is used instead and
/// only a fresh database is created (and dropped on dispose) there.
/// </summary>
/// <param name="externalServerVariable">Environment variable that may name an external server
/// (<c>CLIPROXY_TEST_PG</c> for the tests, <c>CLIPROXY_BENCH_PG</c> for the benchmark), or null.</param>
public class ThrowawayPostgres(string? externalServerVariable) : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _databases = new();
    private bool _usesExternalServer;
    private bool _keepDirectory;
    private string? _baseDirectory;
    private string? _binDirectory;
    private bool _runAsPostgresUser;
    private string _adminConnectionString = "";
    private string? _serverOptions;
    private readonly SemaphoreSlim _serverControl = new(1, 1);

    /// <summary>The environment variable naming an external server to use instead.</summary>
    public string? ExternalServerVariable { get; } = externalServerVariable;

    /// <summary>Connection string of the fixture's own empty database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>
    /// True when the fixture runs its own server and can therefore stop and start it
    /// (<see cref="StopServerAsync"/>, <see cref="StartServerAsync"/>); false for an external server.
    /// </summary>
    public bool CanRestart => !_usesExternalServer && _baseDirectory is not null;

    /// <summary>True while the private server is stopped by <see cref="StopServerAsync"/>.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>
    /// Stops the private server cleanly (<c>pg_ctl stop -m fast</c>: sessions are terminated, a
    /// checkpoint is written, so every committed transaction survives) and keeps its data folder and
    /// port for <see cref="StartServerAsync"/>. Clients see their connections drop and new ones refused.
    /// </summary>
    /// <exception cref="NotSupportedException">The fixture uses an external server.</exception>
    public async Task StopServerAsync()
    {
        EnsureRestartable();
        await _serverControl.WaitAsync();
        try
        {
            if (IsStopped) return;
            await RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"]);
            IsStopped = true;
        }
        finally
        {
            _serverControl.Release();
        }

        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the private server again on the same data folder and port (waits until it accepts connections).</summary>
    /// <exception cref="NotSupportedException">The fixture uses an external server.</exception>
    public async Task StartServerAsync()
    {
        EnsureRestartable();
        await _serverControl.WaitAsync();
        try
        {
            if (!IsStopped) return;
            await RunAsync(Tool("pg_ctl"), ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", ServerLog, "-o", _serverOptions!]);
            IsStopped = false;
        }
        finally
        {
            _serverControl.Release();
        }
    }

    private void EnsureRestartable()
    {
        if (!CanRestart)
            throw new NotSupportedException(
                "Stopping PostgreSQL needs the fixture's private server; unset " + ExternalServerVariable + " to run this test.");
    }

    private string ServerLog => Path.Combine(_baseDirectory!, "server.log");

    /// <summary>
    /// Starts the private server (or connects to the external one) and creates
    /// <see cref="ConnectionString"/>'s database. With <paramref name="directory"/> the server lives
    /// in that folder and outlives this object (for <c>postgres start</c>; stop it with
    /// <see cref="StopDetachedAsync"/>); without, in a temp folder removed on dispose.
    /// </summary>
    public async Task StartAsync(string? directory = null)
    {
        var external = ExternalServerVariable is null ? null : Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            _usesExternalServer = true;
        }
        else
        {
            await StartPrivateServerAsync(directory);
        }

        ConnectionString = await CreateDatabaseAsync();
    }

    /// <summary>
    /// Stops a server that <see cref="StartAsync"/> left running in <paramref name="directory"/>
    /// (<c>pg_ctl stop -m fast</c>); nothing happens when none runs there.
    /// </summary>
    public static async Task StopDetachedAsync(string directory)
    {
        var server = new ThrowawayPostgres(null)
        {
            _binDirectory = FindBinDirectory(null), _runAsPostgresUser = Environment.IsPrivilegedProcess, _baseDirectory = Path.GetFullPath(directory),
        };
        if (File.Exists(Path.Combine(server.DataDirectory, "postmaster.pid")))
            await server.RunAsync(server.Tool("pg_ctl"), ["stop", "-D", server.DataDirectory, "-m", "fast", "-w", "-t", "60"]);
    }

    /// <summary>Creates another empty database on the same server and returns its connection string.</summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = "cliproxy_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _databases.Enqueue(name);
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the databases (external server) or stops the private server and removes its folder; a server started in a given folder is left running.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        foreach (var name in _databases)
        {
            // Pooled connections would otherwise outlive the server (or block DROP DATABASE).
            using var pooled = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString);
            NpgsqlConnection.ClearPool(pooled);
        }

        if (_usesExternalServer)
        {
            await DropDatabasesAsync();
        }
        else if (_baseDirectory is not null && !_keepDirectory)
        {
            await StopPrivateServerAsync();
        }
    }

    private string DataDirectory => Path.Combine(_baseDirectory!, "data");

    private async Task DropDatabasesAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task StopPrivateServerAsync()
    {
        try
        {
            if (!IsStopped && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w"]);
            }
        }
        finally
        {
            Directory.Delete(_baseDirectory!, recursive: true);
            _baseDirectory = null;
        }
    }

    private async Task StartPrivateServerAsync(string? directory)
    {
        _binDirectory = FindBinDirectory(ExternalServerVariable);
        _runAsPostgresUser = Environment.IsPrivilegedProcess;
        if (directory is not null && Directory.Exists(Path.Combine(directory, "data")))
            throw new InvalidOperationException($"{directory} already holds a server (postgres stop {directory} first)");
        _keepDirectory = directory is not null;
        _baseDirectory = directory is null ? Directory.CreateTempSubdirectory("cliproxy-pg-").FullName : Directory.CreateDirectory(directory).FullName;
        try
        {
            await InitAndStartAsync();
        }
        catch
        {
            await StopPrivateServerAsync();
            throw;
        }
    }

    private async Task InitAndStartAsync()
    {
        if (_runAsPostgresUser)
        {
            // PostgreSQL refuses to run as root: hand the directory to the postgres user.
            await RunAsync("chown", [SuperUser, _baseDirectory!]);
        }

        await RunAsync(Tool("initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);

        // A free port can be taken between probing and binding; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var options = $"-c listen_addresses=127.0.0.1 -p {port} -k \"{_baseDirectory}\" " +
                          "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            var log = ServerLog;
            try
            {
                await RunAsync(Tool("pg_ctl"), ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", log, "-o", options]);
                _serverOptions = options;
                _adminConnectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = SuperUser,
                    Database = "postgres",
                    IncludeErrorDetail = true,
                }.ConnectionString;
                return;
            }
            catch (InvalidOperationException failure)
            {
                if (attempt >= 3)
                {
                    var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
                    throw new InvalidOperationException($"{failure.Message}\nserver log:\n{serverLog}", failure);
                }
            }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory!, name);

    private static string FindBinDirectory(string? externalServerVariable)
    {
        // Debian's layout, newest version first (the schema needs 15 or later), then PATH.
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")).ToList()
            : [];
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var directory in candidates)
        {
            if (File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
            "Install PostgreSQL 15 with `apt-get install -y postgresql`" + (externalServerVariable is null ? "." : ", or set " + externalServerVariable +
            " to the connection string of a PostgreSQL 15+ server the tests may create databases on."));
    }

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _baseDirectory ?? Path.GetTempPath(),
        };
        if (_runAsPostgresUser && fileName != "chown")
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", SuperUser, "--", fileName })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // Read both streams to the end; pg_ctl's server keeps no handle on them (it logs to -l).
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
