using CliProxy.Harness;

namespace CliProxy.Bench;

/// <summary>
/// The cluster topology as local processes, for the cluster benchmark, from the shared harness
/// (<c>tests/CliProxy.Harness</c>, the same code the multi-process tests use): a throwaway PostgreSQL
/// (<see cref="ThrowawayPostgres"/>, or a database on the server named by <c>CLIPROXY_BENCH_PG</c>),
/// silos (<c>CliProxy.Silo.dll run</c>; the first imports a copy of <c>tests/fixtures/config/full.yaml</c>) and
/// gateways in client mode (<see cref="ClusterHarness"/>), all on free loopback ports with the default
/// failure detection and a 1 s gateway list refresh. Disposing kills every process and removes the
/// throwaway server.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly ThrowawayPostgres _postgres;
    private ClusterHarness? _harness;

    private LocalCluster(ThrowawayPostgres postgres) => _postgres = postgres;

    /// <summary>Base addresses of the running gateways, in start order.</summary>
    public List<Uri> Gateways { get; } = [];

    /// <summary>Starts PostgreSQL, <paramref name="silos"/> silos and <paramref name="gateways"/> gateways and waits until all are ready.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int gateways)
    {
        var cluster = new LocalCluster(new ThrowawayPostgres("CLIPROXY_BENCH_PG"));
        try
        {
            await cluster._postgres.StartAsync();
            var harness = cluster._harness = await ClusterHarness.CreateAsync(cluster._postgres,
                new ClusterHarnessOptions { GatewayListRefresh = TimeSpan.FromSeconds(1), StartTimeout = TimeSpan.FromSeconds(90) });
            var config = Path.Combine(harness.Directory, "import", "config.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(config)!);
            File.Copy(Path.Combine(TestPaths.Fixtures, "config", "full.yaml"), config);
            for (var i = 1; i <= silos; i++) await harness.StartSiloAsync(new SiloStartOptions { ImportConfig = i == 1 ? config : null });
            for (var i = 1; i <= gateways; i++)
                cluster.Gateways.Add((await harness.StartGatewayAsync(new GatewayStartOptions { TrustLoopbackProxy = false })).BaseAddress);
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
        if (_harness is not null) await _harness.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
