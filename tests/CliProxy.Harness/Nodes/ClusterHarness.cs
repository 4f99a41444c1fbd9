using System.Collections.Concurrent;
using System.Diagnostics;
using CliProxy.Grains.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CliProxy.Harness;

/// <summary>
/// A multi-process cluster for black-box tests: silo and gateway processes started from the build
/// output (<c>CliProxy.Silo.dll run</c>, <c>CliProxy.Gateway.dll --Cluster:Mode=client</c>) on a fresh database of a
/// <see cref="ThrowawayPostgres"/>, with its own cluster and service id and its own temp folder.
/// <list type="bullet">
/// <item>Every node gets free loopback ports (a start that loses a port race is retried with new ones)
/// and the settings of <see cref="ClusterHarnessOptions"/> (the product's defaults for failure
/// detection, response timeout and gateway list refresh unless a test overrides them).</item>
/// <item>Starts wait by polling: a silo is ready when its membership row is Active and it logged
/// <see cref="SiloReadyLine"/> (after an import on first start); a gateway when <c>/readyz</c> answers
/// 200 and it logged <see cref="ClusterHarness.GatewayReadyLine"/> (after its start-up checks).</item>
/// <item>Faults: <see cref="KillAsync"/> (SIGKILL of the process tree), <see cref="StopAsync"/> (SIGTERM,
/// graceful), <c>RestartAsync</c> (graceful stop, start on the same ports, wait until ready),
/// <see cref="StopPostgresAsync"/> / <see cref="StartPostgresAsync"/>.</item>
/// <item>Every node's output is kept (<see cref="ClusterNode.Log"/>, and <c>node.log</c> in its folder);
/// <see cref="Describe"/> gives all of it for failure messages.</item>
/// <item><see cref="DisposeAsync"/> kills every process still running and removes the folder.</item>
/// </list>
/// <para>The class is split by job: node launching (<c>ClusterHarness.Nodes.cs</c>), PostgreSQL control
/// (<c>.Postgres.cs</c>) and waits and diagnostics (<c>.Inspection.cs</c>); this file holds the state, creation
/// and disposal.</para>
/// </summary>
public sealed partial class ClusterHarness : IAsyncDisposable
{
    /// <summary>Line a silo logs once it has started, joined and (with <c>Cluster:ImportConfig</c>) imported.</summary>
    public const string SiloReadyLine = "joined cluster";

    /// <summary>What a gateway logs once its start-up checks passed and it serves (every mode).</summary>
    public const string GatewayReadyLine = "CLIProxy gateway serving";

    private readonly ConcurrentQueue<ClusterNode> _nodes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly SemaphoreSlim _clientLock = new(1, 1);
    private int _siloCount;
    private int _gatewayCount;
    private int _commandCount;
    private IHost? _clientHost;

    private ClusterHarness(ThrowawayPostgres postgres, string connectionString, ClusterHarnessOptions options)
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
    public static async Task<ClusterHarness> CreateAsync(ThrowawayPostgres postgres, ClusterHarnessOptions? options = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new PostgresSchema(connectionString).ApplyAsync();
        return new ClusterHarness(postgres, connectionString, options ?? new ClusterHarnessOptions());
    }

    /// <summary>The PostgreSQL server the cluster's database lives on.</summary>
    public ThrowawayPostgres Postgres { get; }

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
}
