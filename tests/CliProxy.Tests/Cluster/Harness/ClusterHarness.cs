using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CliProxy.Abstractions.Config;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.Storage.Postgres;
using CliProxy.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CliProxy.Tests.Cluster.Harness;

/// <summary>
/// A multi-process cluster for black-box tests: silo and gateway processes started from the build
/// output (<c>Silo.dll run</c>, <c>Gateway.dll --Gateway:Mode=client</c>) on a fresh database of a
/// <see cref="PostgresServer"/>, with its own cluster and service id and its own temp folder.
/// <list type="bullet">
/// <item>Every node gets free loopback ports (a start that loses a port race is retried with new ones)
/// and the test settings of <see cref="ClusterHarnessOptions"/> (fast failover, 1 s gateway list
/// refresh, 5 s response timeout).</item>
/// <item>Starts wait by polling: a silo is ready when its membership row is Active and it logged
/// <see cref="SiloReadyLine"/> (after an import on first start); a gateway when <c>/readyz</c> answers
/// 200 and it logged <see cref="GatewayReadyLine"/> (after its start-up checks).</item>
/// <item>Faults: <see cref="KillAsync"/> (SIGKILL of the process tree), <see cref="StopAsync"/> (SIGTERM,
/// graceful), <see cref="StopPostgresAsync"/> / <see cref="StartPostgresAsync"/>.</item>
/// <item>Every node's output is kept (<see cref="ClusterNode.Log"/>, and <c>node.log</c> in its folder);
/// <see cref="Describe"/> gives all of it for failure messages.</item>
/// <item><see cref="DisposeAsync"/> kills every process still running and removes the folder.</item>
/// </list>
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    /// <summary>Line a silo logs once it has started, joined and (with <c>Cluster:ImportConfig</c>) imported.</summary>
    public const string SiloReadyLine = "joined cluster";

    /// <summary>Line a gateway logs once its start-up checks passed (it is announced).</summary>
    public const string GatewayReadyLine = "CLIProxy gateway serving";

    private const int ActiveStatus = 3;
    private const int PortAttempts = 5;

    private readonly ConcurrentQueue<ClusterNode> _nodes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly SemaphoreSlim _clientLock = new(1, 1);
    private int _siloCount;
    private int _gatewayCount;
    private int _commandCount;
    private IHost? _clientHost;

    private ClusterHarness(PostgresServer postgres, string connectionString, ClusterHarnessOptions options)
    {
        Postgres = postgres;
        ConnectionString = connectionString;
        Options = options;
        var id = Guid.NewGuid().ToString("N")[..12];
        ClusterId = "harness-" + id;
        ServiceId = "harness-" + id;
        Directory = System.IO.Directory.CreateTempSubdirectory("cliproxy-cluster-").FullName;
    }

    /// <summary>
    /// Creates a harness on a new empty database of <paramref name="postgres"/> and applies the
    /// schema there (in-process, once; the nodes then start with <c>Cluster:Migrate=false</c>). No
    /// node runs yet.
    /// </summary>
    public static async Task<ClusterHarness> CreateAsync(PostgresServer postgres, ClusterHarnessOptions? options = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new PostgresSchema(connectionString).ApplyAsync();
        return new ClusterHarness(postgres, connectionString, options ?? new ClusterHarnessOptions());
    }

    /// <summary>The PostgreSQL server the cluster's database lives on.</summary>
    public PostgresServer Postgres { get; }

    /// <summary>Connection string of the cluster's own database.</summary>
    public string ConnectionString { get; }

    /// <summary>Orleans cluster id of every node (unique per harness).</summary>
    public string ClusterId { get; }

    /// <summary>Orleans service id of every node (unique per harness).</summary>
    public string ServiceId { get; }

    /// <summary>The harness's settings.</summary>
    public ClusterHarnessOptions Options { get; }

    /// <summary>The harness's temp folder: one sub-folder per node.</summary>
    public string Directory { get; }

    /// <summary>Time since the harness was created (the time stamps of the node logs).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Every node started so far, running or not, in start order.</summary>
    public IReadOnlyList<ClusterNode> Nodes => _nodes.ToList();

    /// <summary>Silo processes currently running.</summary>
    public IReadOnlyList<SiloNode> RunningSilos => _nodes.OfType<SiloNode>().Where(s => s.IsRunning).ToList();

    /// <summary>Gateway processes currently running.</summary>
    public IReadOnlyList<GatewayNode> RunningGateways => _nodes.OfType<GatewayNode>().Where(g => g.IsRunning).ToList();

    /// <summary>Path of the built <c>Silo.dll</c> (same configuration as the tests).</summary>
    public static string SiloDll => Path.Combine(TestPaths.RepoRoot, "src", "Silo", "bin", BuildConfiguration, "net10.0", "Silo.dll");

    /// <summary>Path of the built <c>Gateway.dll</c>.</summary>
    public static string GatewayDll => TestPaths.GatewayDll;

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    /// <summary>
    /// Starts a silo and waits until it is ready (Active in the membership table and
    /// <see cref="SiloReadyLine"/> logged). Throws with the node's log when it exits or times out.
    /// </summary>
    public async Task<SiloNode> StartSiloAsync(SiloStartOptions? options = null)
    {
        options ??= new SiloStartOptions();
        var name = $"silo-{Interlocked.Increment(ref _siloCount)}";
        var node = new SiloNode(name, Path.Combine(Directory, name), _clock);
        _nodes.Enqueue(node);
        for (var attempt = 1; ; attempt++)
        {
            node.SiloPort = FreePort.Next();
            node.GatewayPort = FreePort.Next();
            var arguments = new List<string>
            {
                SiloDll, "run", $"--Cluster:SiloPort={node.SiloPort}", $"--Cluster:GatewayPort={node.GatewayPort}",
            };
            if (options.ImportConfig is { } import) arguments.Add($"--Cluster:ImportConfig={import}");
            arguments.AddRange(options.ExtraArguments);
            node.Launch(arguments, Environment(options.Environment));
            try
            {
                await Poll.UntilAsync(async () =>
                    {
                        if (!node.IsRunning) throw await NodeExitedException.AfterOutputAsync(node);
                        return node.CurrentOutputContains(SiloReadyLine) && (await ActiveSiloPortsAsync()).Contains(node.SiloPort);
                    }, Options.StartTimeout, () => $"{name} ready\n{node.Describe()}",
                    TimeSpan.FromMilliseconds(100));
                return node;
            }
            catch (NodeExitedException) when (attempt < PortAttempts && LostPortRace(node))
            {
                await Task.Delay(100 * attempt);
            }
            catch (NodeExitedException exited)
            {
                throw new InvalidOperationException($"{name} exited during start-up with {node.ExitCode}.\n{exited.Node.Describe(200)}");
            }
        }
    }

    /// <summary>
    /// Starts a gateway in client mode on a free HTTP port (listening on 127.0.0.1 only) and, unless
    /// <see cref="GatewayStartOptions.WaitUntilReady"/> is false, waits until <c>/readyz</c> answers 200
    /// and <see cref="GatewayReadyLine"/> is logged.
    /// </summary>
    public async Task<GatewayNode> StartGatewayAsync(GatewayStartOptions? options = null)
    {
        options ??= new GatewayStartOptions();
        var name = $"gateway-{Interlocked.Increment(ref _gatewayCount)}";
        var node = new GatewayNode(name, Path.Combine(Directory, name), _clock, Options.ManagementKey);
        _nodes.Enqueue(node);
        for (var attempt = 1; ; attempt++)
        {
            node.UsePort(FreePort.Next());
            var arguments = new List<string>
            {
                GatewayDll, "--Gateway:Mode=client", $"--Gateway:Port={node.HttpPort}", "--Gateway:Host=127.0.0.1",
            };
            arguments.AddRange(options.ExtraArguments);
            var environment = new Dictionary<string, string>(options.Environment);
            if (options.TrustLoopbackProxy) environment.TryAdd("CLIPROXY_Gateway__TrustedProxies__0", "127.0.0.1");
            if (options.ManagementPassword is { } password) environment["MANAGEMENT_PASSWORD"] = password;
            node.Launch(arguments, Environment(environment));
            if (!options.WaitUntilReady) return node;
            try
            {
                await Poll.UntilAsync(async () =>
                    {
                        if (!node.IsRunning) throw await NodeExitedException.AfterOutputAsync(node);
                        return node.CurrentOutputContains(GatewayReadyLine) && await node.IsReadyAsync();
                    }, Options.StartTimeout, () => $"{name} ready\n{node.Describe()}",
                    TimeSpan.FromMilliseconds(100));
                return node;
            }
            catch (NodeExitedException) when (attempt < PortAttempts && LostPortRace(node))
            {
                await Task.Delay(100 * attempt);
            }
            catch (NodeExitedException exited)
            {
                throw new InvalidOperationException($"{name} exited during start-up with {node.ExitCode}.\n{exited.Node.Describe(200)}");
            }
        }
    }

    /// <summary>
    /// Runs <c>Silo.dll &lt;arguments&gt;</c> (e.g. <c>import --config …</c>, <c>export --out …</c>) as a
    /// client of the cluster and waits for it to exit; returns the node (exit code and output).
    /// </summary>
    public async Task<CommandNode> RunSiloCommandAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var name = $"command-{Interlocked.Increment(ref _commandCount)}";
        var node = new CommandNode(name, Path.Combine(Directory, name), _clock);
        _nodes.Enqueue(node);
        node.Launch([SiloDll, .. arguments], Environment(new Dictionary<string, string>()));
        await node.WaitForExitAsync(timeout ?? Options.StartTimeout);
        return node;
    }

    /// <summary>Kills <paramref name="node"/> with SIGKILL (its whole process tree; no shutdown code runs) and waits until it is gone.</summary>
    public Task KillAsync(ClusterNode node) => node.KillAsync();

    /// <summary>
    /// Stops <paramref name="node"/> gracefully (SIGTERM) and waits until it exited; returns the exit
    /// code. A node still running after <see cref="ClusterHarnessOptions.StopTimeout"/> is killed and
    /// <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public Task<int> StopAsync(ClusterNode node) => node.TerminateAsync(Options.StopTimeout);

    /// <summary>Stops the PostgreSQL server cleanly (committed data survives; see <see cref="PostgresServer.StopServerAsync"/>).</summary>
    public Task StopPostgresAsync() => Postgres.StopServerAsync();

    /// <summary>Starts the PostgreSQL server again on the same port and data.</summary>
    public Task StartPostgresAsync() => Postgres.StartServerAsync();

    /// <summary>
    /// Stops PostgreSQL, runs <paramref name="whileDown"/> (e.g. a wait until some writes failed), and
    /// starts it again, also when <paramref name="whileDown"/> throws.
    /// </summary>
    public async Task RestartPostgresAsync(Func<Task>? whileDown = null)
    {
        await StopPostgresAsync();
        try
        {
            if (whileDown is not null) await whileDown();
        }
        finally
        {
            await StartPostgresAsync();
        }
    }

    /// <summary>Silo ports of the members the membership table lists as Active.</summary>
    public async Task<IReadOnlyList<int>> ActiveSiloPortsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT port FROM orleans_membership WHERE deployment_id = @id AND status = @active ORDER BY port", connection);
        command.Parameters.AddWithValue("id", ClusterId);
        command.Parameters.AddWithValue("active", ActiveStatus);
        var ports = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ports.Add(reader.GetInt32(0));
        return ports;
    }

    /// <summary>
    /// Waits until the membership table lists exactly the running silos as Active (a killed silo has
    /// been declared dead, a started one has joined).
    /// </summary>
    public Task<TimeSpan> WaitForMembershipAsync(TimeSpan? timeout = null)
    {
        IReadOnlyList<int> seen = [];
        return Poll.UntilAsync(async () =>
            {
                seen = await ActiveSiloPortsAsync();
                return seen.SequenceEqual(RunningSilos.Select(s => s.SiloPort).Order());
            }, timeout ?? Options.StartTimeout,
            () => $"Active members [{string.Join(", ", seen)}] = running silos [{string.Join(", ", RunningSilos.Select(s => s.SiloPort).Order())}]\n{Describe()}",
            TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// An Orleans client of the cluster inside the test process (created on first use), for questions
    /// HTTP cannot answer, such as where a grain is active.
    /// </summary>
    public async Task<IClusterClient> GetClusterClientAsync()
    {
        await _clientLock.WaitAsync();
        try
        {
            if (_clientHost is null)
            {
                var settings = new ClusterSettings
                {
                    ConnectionString = ConnectionString,
                    ClusterId = ClusterId,
                    ServiceId = ServiceId,
                    GatewayListRefresh = Options.GatewayListRefresh,
                    ResponseTimeout = Options.ResponseTimeout,
                };
                var host = new HostBuilder().UseOrleansClient(client => client.AddClusterClient(settings)).Build();
                using var timeout = new CancellationTokenSource(Options.StartTimeout);
                await host.StartAsync(timeout.Token);
                _clientHost = host;
            }

            return _clientHost.Services.GetRequiredService<IClusterClient>();
        }
        finally
        {
            _clientLock.Release();
        }
    }

    /// <summary>The running silo where <paramref name="grain"/> is active, or null when it is not active anywhere we know.</summary>
    public async Task<SiloNode?> FindHostAsync(IAddressable grain)
    {
        var client = await GetClusterClientAsync();
        var address = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address is null ? null : RunningSilos.FirstOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    /// <summary>The silo hosting the config grain (activating it first if needed).</summary>
    public async Task<SiloNode> FindConfigGrainHostAsync()
    {
        var client = await GetClusterClientAsync();
        var grain = client.GetGrain<IConfigGrain>(ConfigGrainKeys.Default);
        await grain.GetSnapshot();
        return await FindHostAsync(grain) ?? throw new InvalidOperationException("the config grain is active on no running silo\n" + Describe());
    }

    /// <summary>State and log tail of every node, for failure messages.</summary>
    public string Describe(int linesPerNode = 40)
    {
        var text = new StringBuilder($"cluster {ClusterId} on {ConnectionString}; folder {Directory}; t=+{Elapsed.TotalSeconds:F3}s\n");
        foreach (var node in _nodes) text.Append(node.Describe(linesPerNode));
        return text.ToString();
    }

    /// <summary>Kills every process still running, stops the in-process client and removes the folder (unless kept).</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.KillAsync()));
        foreach (var gateway in _nodes.OfType<GatewayNode>()) gateway.DisposeHttp();
        if (_clientHost is { } host)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await host.StopAsync(timeout.Token);
            }
            catch (Exception)
            {
                // The cluster is gone already; nothing to leave cleanly.
            }

            host.Dispose();
        }

        using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
        if (!Options.KeepDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["CLIPROXY_Cluster__ConnectionString"] = ConnectionString,
            ["CLIPROXY_Cluster__ClusterId"] = ClusterId,
            ["CLIPROXY_Cluster__ServiceId"] = ServiceId,
            ["CLIPROXY_Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["CLIPROXY_Cluster__Migrate"] = "false",
            ["CLIPROXY_Cluster__FastFailover"] = Options.FastFailover ? "true" : "false",
            ["CLIPROXY_Cluster__GatewayListRefresh"] = Options.GatewayListRefresh.ToString("c"),
            ["CLIPROXY_Cluster__ResponseTimeout"] = Options.ResponseTimeout.ToString("c"),
            // Small processes on a small machine; one line per log entry keeps the tails readable.
            ["DOTNET_gcServer"] = "0",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

    private static bool LostPortRace(ClusterNode node) =>
        node.CurrentOutputContains("address already in use") || node.CurrentOutputContains("Address already in use");

    private sealed class NodeExitedException(ClusterNode node) : PollAbortedException($"{node.Name} exited")
    {
        public ClusterNode Node { get; } = node;

        /// <summary>The exception, once the process's output has been read to its end.</summary>
        public static async Task<NodeExitedException> AfterOutputAsync(ClusterNode node)
        {
            await node.WaitForExitAsync(TimeSpan.FromSeconds(10));
            return new NodeExitedException(node);
        }
    }
}
