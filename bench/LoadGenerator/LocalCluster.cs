using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CliProxy.Bench;

/// <summary>
/// The cluster topology as local processes, for the cluster benchmark: a throwaway PostgreSQL
/// (initdb + pg_ctl from the local PostgreSQL binaries, or a database on the server named by
/// <c>CLIPROXY_BENCH_PG</c>), silos (<c>CliProxy.Silo.dll run</c>; the first imports a copy of
/// <c>tests/fixtures/config/full.yaml</c>) and gateways in client mode, all on free loopback ports
/// with the default failure detection and a 1 s gateway list refresh. Disposing kills every process and removes the
/// throwaway server.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly BenchOptions _options;
    private readonly List<(string Name, Process Process, StringBuilder Log)> _processes = [];
    private string _connectionString = "";
    private string? _pgData;
    private string? _pgBin;
    private bool _runAsPostgres;

    private LocalCluster(BenchOptions options)
    {
        _options = options;
        _dir = Path.Combine(Path.GetTempPath(), "cliproxy-bench-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    /// <summary>Base addresses of the running gateways, in start order.</summary>
    public List<Uri> Gateways { get; } = [];

    /// <summary>Starts PostgreSQL, <paramref name="silos"/> silos and <paramref name="gateways"/> gateways and waits until all are ready.</summary>
    public static async Task<LocalCluster> StartAsync(BenchOptions options, int silos, int gateways)
    {
        var cluster = new LocalCluster(options);
        try
        {
            await cluster.StartPostgresAsync();
            var migrate = cluster.Launch("migrate", SiloDll(options), ["migrate"]);
            await migrate.Process.WaitForExitAsync();
            if (migrate.Process.ExitCode != 0) throw new InvalidOperationException("migrate failed:\n" + migrate.Log);

            var config = Path.Combine(cluster._dir, "import", "config.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(config)!);
            File.Copy(Path.Combine(GatewayUnderTest.Root, "tests", "fixtures", "config", "full.yaml"), config);
            for (var i = 1; i <= silos; i++)
            {
                string[] args = ["run", $"--Cluster:SiloPort={FreePort()}", $"--Cluster:GatewayPort={FreePort()}"];
                if (i == 1) args = [.. args, $"--Cluster:ImportConfig={config}"];
                var silo = cluster.Launch($"silo-{i}", SiloDll(options), args);
                await WaitAsync(() => Task.FromResult(silo.Log.ToString().Contains("joined cluster")), silo);
            }

            for (var i = 1; i <= gateways; i++)
            {
                var port = FreePort();
                var gateway = cluster.Launch($"gateway-{i}", GatewayDll(options), ["--Gateway:Mode=client", $"--Gateway:Port={port}", "--Gateway:Host=127.0.0.1"]);
                var address = new Uri($"http://127.0.0.1:{port}");
                using var http = new HttpClient { BaseAddress = address };
                await WaitAsync(async () =>
                {
                    if (!gateway.Log.ToString().Contains("CLIProxy gateway serving")) return false;
                    try
                    {
                        return (await http.GetAsync("/readyz")).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, gateway);
                cluster.Gateways.Add(address);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process, _) in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
        }

        if (_pgData is not null)
        {
            try
            {
                await RunAsync(Path.Combine(_pgBin!, "pg_ctl"), ["stop", "-D", _pgData, "-m", "immediate", "-w"]);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
            }
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartPostgresAsync()
    {
        if (Environment.GetEnvironmentVariable("CLIPROXY_BENCH_PG") is { Length: > 0 } external)
        {
            var database = "cliproxy_bench_" + Guid.NewGuid().ToString("N")[..8];
            await using var connection = new Npgsql.NpgsqlConnection(external);
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
            _connectionString = new Npgsql.NpgsqlConnectionStringBuilder(external) { Database = database }.ConnectionString;
            return;
        }

        _pgBin = new[] { "/usr/lib/postgresql/15/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set CLIPROXY_BENCH_PG");
        _runAsPostgres = Environment.IsPrivilegedProcess;
        var root = Path.Combine(_dir, "pg");
        Directory.CreateDirectory(root);
        if (_runAsPostgres) await RunAsync("chown", ["postgres", _dir, root]);
        _pgData = Path.Combine(root, "data");
        await RunAsync(Path.Combine(_pgBin, "initdb"), ["-D", _pgData, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        var port = FreePort();
        await RunAsync(Path.Combine(_pgBin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", _pgData, "-l", Path.Combine(root, "log"), "-o",
            $"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]);
        _connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private (string Name, Process Process, StringBuilder Log) Launch(string name, string dll, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        psi.ArgumentList.Add(dll);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CLIPROXY_", StringComparison.Ordinal) || k == "MANAGEMENT_PASSWORD").ToList())
            psi.Environment.Remove(key);
        psi.Environment["CLIPROXY_Cluster__ConnectionString"] = _connectionString;
        psi.Environment["CLIPROXY_Cluster__ClusterId"] = "bench";
        psi.Environment["CLIPROXY_Cluster__ServiceId"] = "bench";
        psi.Environment["CLIPROXY_Cluster__AdvertisedAddress"] = "127.0.0.1";
        psi.Environment["CLIPROXY_Cluster__Migrate"] = "false";
        psi.Environment["CLIPROXY_Cluster__GatewayListRefresh"] = "00:00:01";
        psi.Environment["DOTNET_gcServer"] = "0";
        var log = new StringBuilder();
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var entry = (name, process, log);
        _processes.Add(entry);
        return entry;
    }

    private static async Task WaitAsync(Func<Task<bool>> ready, (string Name, Process Process, StringBuilder Log) node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await ready())
        {
            if (node.Process.HasExited) throw new InvalidOperationException($"{node.Name} exited with {node.Process.ExitCode}:\n{node.Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.Name} not ready:\n{node.Log}");
            await Task.Delay(100);
        }
    }

    private async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo(_runAsPostgres && file != "chown" ? "runuser" : file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (_runAsPostgres && file != "chown")
            foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{await output}{await error}");
    }

    private static string SiloDll(BenchOptions options) => Path.Combine(GatewayUnderTest.Root, "src", "Silo", "bin", options.Configuration, "net10.0", "CliProxy.Silo.dll");

    private static string GatewayDll(BenchOptions options) => Path.Combine(GatewayUnderTest.Root, "src", "Gateway", "bin", options.Configuration, "net10.0", "CliProxy.Gateway.dll");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
