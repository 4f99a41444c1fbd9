using System.Net;
using CliProxy.Grains.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Xunit;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Drives Orleans' own ADO.NET membership table (<see cref="AdoNetClusteringTable"/>) and gateway list
/// provider against the schema in PostgreSQL, one cluster id per test, covering every clustering query key.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class MembershipTableTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    // Timestamps as PostgreSQL keeps them (microseconds) and Orleans formats suspect times (milliseconds).
    private static readonly DateTime Now = WholeMilliseconds(DateTime.UtcNow);

    private readonly string _clusterId = "membership-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public Task InitializeAsync() => new PostgresSchema(server.ConnectionString).ApplyAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Initialize_creates_the_version_row_once_and_an_empty_cluster_reads_as_version_zero()
    {
        var firstLog = new CapturingLogger<AdoNetClusteringTable>();
        var secondLog = new CapturingLogger<AdoNetClusteringTable>();

        var first = await CreateTableAsync(logger: firstLog);          // InsertMembershipVersionKey -> true
        var second = await CreateTableAsync(logger: secondLog);        // InsertMembershipVersionKey -> false

        Assert.Contains("Created new table version row.", firstLog.Messages);
        Assert.DoesNotContain("Created new table version row.", secondLog.Messages);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(server.ConnectionString,
            "SELECT count(*) FROM orleans_membership_version WHERE deployment_id = @id", ("id", _clusterId)));

        var all = await first.ReadAllAsync();                                // MembershipReadAllKey
        Assert.Empty(all.Members);
        Assert.Equal(0, all.Version.Version);
        Assert.Equal("0", all.Version.VersionEtag);
        Assert.Equal(0, (await second.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task Insert_succeeds_only_at_the_current_version_and_round_trips_every_column()
    {
        var table = await CreateTableAsync();
        var start = await table.ReadAllAsync();
        var a = Entry(11111, SiloStatus.Joining, proxyPort: 30001);

        Assert.True(await table.InsertRowAsync(a, start.Version.Next()));     // InsertMembershipKey
        // A second writer that read the same version loses: the version was bumped.
        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), start.Version.Next()));
        var afterInsert = await table.ReadAllAsync();
        // The same silo again at the current version: the row exists, nothing changes.
        Assert.False(await table.InsertRowAsync(a, afterInsert.Version.Next()));

        var all = await table.ReadAllAsync();
        Assert.Equal(1, all.Version.Version);
        var (stored, etag) = Assert.Single(all.Members);
        Assert.Equal("1", etag);
        Assert.Equal(a.SiloAddress, stored.SiloAddress);
        Assert.Equal(a.SiloName, stored.SiloName);
        Assert.Equal(a.HostName, stored.HostName);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(30001, stored.ProxyPort);
        Assert.Equal(a.StartTime, stored.StartTime);
        Assert.Equal(a.IAmAliveTime, stored.IAmAliveTime);
        Assert.Null(stored.SuspectTimes);
    }

    [Fact]
    public async Task Concurrent_inserts_at_one_version_let_exactly_one_silo_in()
    {
        var tables = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CreateTableAsync()));
        var version = (await tables[0].ReadAllAsync()).Version.Next();

        var results = await Task.WhenAll(tables.Select((table, i) =>
            Task.Run(() => table.InsertRowAsync(Entry(20000 + i, SiloStatus.Joining), version))));

        Assert.Single(results, inserted => inserted);
        var all = await tables[0].ReadAllAsync();
        Assert.Single(all.Members);
        Assert.Equal(1, all.Version.Version);
    }

    [Fact]
    public async Task ReadRow_returns_only_that_silo_and_still_the_version_when_it_is_absent()
    {
        var table = await CreateTableAsync();
        var a = Entry(11111, SiloStatus.Active);
        var b = Entry(22222, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(a, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(b, (await table.ReadAllAsync()).Version.Next()));

        var row = await table.ReadRowAsync(b.SiloAddress);                   // MembershipReadRowKey
        Assert.Equal(2, row.Version.Version);
        Assert.Equal(b.SiloAddress, Assert.Single(row.Members).Item1.SiloAddress);

        var missing = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 33333, 1));
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);
    }

    [Fact]
    public async Task Update_checks_the_version_and_stores_status_suspicions_and_liveness()
    {
        var table = await CreateTableAsync();
        var a = Entry(11111, SiloStatus.Active);
        var b = Entry(22222, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(a, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(b, (await table.ReadAllAsync()).Version.Next()));
        var read = await table.ReadRowAsync(a.SiloAddress);
        var (current, etag) = read.Members[0];

        current.Status = SiloStatus.Dead;
        current.IAmAliveTime = Now.AddSeconds(5);
        current.AddSuspector(b.SiloAddress, Now.AddSeconds(3));
        Assert.True(await table.UpdateRowAsync(current, etag, read.Version.Next()));   // UpdateMembershipKey

        // Stale version: refused, nothing written.
        current.Status = SiloStatus.Active;
        Assert.False(await table.UpdateRowAsync(current, etag, read.Version.Next()));
        // Current version but an unknown silo: refused, version not bumped.
        var now = await table.ReadAllAsync();
        Assert.False(await table.UpdateRowAsync(Entry(44444, SiloStatus.Dead), etag, now.Version.Next()));

        var after = await table.ReadRowAsync(a.SiloAddress);
        Assert.Equal(3, after.Version.Version);
        var stored = Assert.Single(after.Members).Item1;
        Assert.Equal(SiloStatus.Dead, stored.Status);
        Assert.Equal(Now.AddSeconds(5), stored.IAmAliveTime);
        var (suspecter, votedAt) = Assert.Single(stored.SuspectTimes!);
        Assert.Equal(b.SiloAddress, suspecter);
        Assert.Equal(Now.AddSeconds(3), votedAt);
    }

    [Fact]
    public async Task IAmAlive_moves_only_the_heartbeat_without_a_version_bump()
    {
        var table = await CreateTableAsync();
        var a = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(a, (await table.ReadAllAsync()).Version.Next()));

        a.IAmAliveTime = Now.AddMinutes(1);
        a.Status = SiloStatus.Dead; // not part of a heartbeat
        await table.UpdateIAmAliveAsync(a);                                  // UpdateIAmAlivetimeKey

        var stored = Assert.Single((await table.ReadAllAsync()).Members).Item1;
        Assert.Equal(Now.AddMinutes(1), stored.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task Gateway_list_holds_active_silos_with_a_proxy_port_only()
    {
        var table = await CreateTableAsync();
        var active = Entry(11111, SiloStatus.Active, proxyPort: 30001);
        foreach (var entry in new[]
                 {
                     active,
                     Entry(22222, SiloStatus.Joining, proxyPort: 30002),
                     Entry(33333, SiloStatus.Dead, proxyPort: 30003),
                     Entry(44444, SiloStatus.Active, proxyPort: 0),
                 })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            NoServices,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = server.ConnectionString }),
            Options.Create(new GatewayOptions()),
            ClusterOptions());
        await gateways.InitializeGatewayListProvider();

        var list = await gateways.GetGateways();                        // GatewaysQueryKey

        var expected = SiloAddress.New(IPAddress.Loopback, 30001, active.SiloAddress.Generation).ToGatewayUri();
        Assert.Equal([expected], list);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_inactive_since_the_cutoff()
    {
        var table = await CreateTableAsync();
        await InsertCleanupCandidatesAsync(table);

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1));        // CleanupDefunctSiloEntryKey, per row

        Assert.Equal([16666, 22222, 33333, 55555], await PortsAsync(server.ConnectionString));
    }

    [Fact]
    public async Task Cleanup_of_one_silo_is_a_compare_and_delete()
    {
        var table = await CreateTableAsync();
        await InsertCleanupCandidatesAsync(table);
        var old = (await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 11111, Generation))).Members[0].Item1;
        var query = await Sql.ScalarAsync<string>(server.ConnectionString,
            "SELECT querytext FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntryKey'");

        // Values captured before the silo's row changed (here: a later heartbeat) must not delete it.
        var staleAliveTime = old.IAmAliveTime.AddSeconds(-1);
        (string, object?)[] Parameters(DateTime aliveTime, string? suspectTimes) =>
        [
            ("DeploymentId", _clusterId), ("Address", "127.0.0.1"), ("Port", 11111), ("Generation", Generation),
            ("StartTime", old.StartTime), ("IAmAliveTime", aliveTime), ("SuspectTimes", suspectTimes),
        ];
        var storedSuspectTimes = await Sql.ScalarAsync<string>(server.ConnectionString,
            "SELECT suspect_times FROM orleans_membership WHERE deployment_id = @id AND port = 11111", ("id", _clusterId));

        Assert.Equal(0, await Sql.ExecuteAsync(server.ConnectionString, query, Parameters(staleAliveTime, storedSuspectTimes)));
        Assert.Equal(0, await Sql.ExecuteAsync(server.ConnectionString, query, Parameters(old.IAmAliveTime, null)));
        Assert.Equal(1, await Sql.ExecuteAsync(server.ConnectionString, query, Parameters(old.IAmAliveTime, storedSuspectTimes)));
    }

    [Fact]
    public async Task Cleanup_without_the_optional_per_row_query_uses_the_bulk_query()
    {
        // An install that lacks CleanupDefunctSiloEntryKey: Orleans falls back to CleanupDefunctSiloEntriesKey.
        var connectionString = await server.CreateDatabaseAsync();
        await new PostgresSchema(connectionString).ApplyAsync();
        await Sql.ExecuteAsync(connectionString, "DELETE FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntryKey'");
        var table = await CreateTableAsync(connectionString: connectionString);
        await InsertCleanupCandidatesAsync(table);

        await table.CleanupDefunctSiloEntriesAsync(Now.AddHours(-1));        // CleanupDefunctSiloEntriesKey

        // The bulk query does not look at suspicion times, so the dead silo with a recent vote goes too;
        // like the per-row path it only removes Dead silos.
        Assert.Equal([16666, 22222, 55555], await PortsAsync(connectionString));
    }

    [Fact]
    public async Task Delete_removes_the_cluster_and_leaves_other_clusters_alone()
    {
        var table = await CreateTableAsync();
        var other = await CreateTableAsync(clusterId: _clusterId + "-other");
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Entry(22222, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await other.InsertRowAsync(Entry(11111, SiloStatus.Active), (await other.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(_clusterId);           // DeleteMembershipTableEntriesKey

        var gone = await table.ReadAllAsync();
        Assert.Empty(gone.Members);
        Assert.Equal(0, gone.Version.Version);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(server.ConnectionString,
            "SELECT count(*) FROM orleans_membership_version WHERE deployment_id = @id", ("id", _clusterId)));
        Assert.Single((await other.ReadAllAsync()).Members);
        // Without its version row the cluster refuses writes until a silo initialises it again.
        Assert.False(await table.InsertRowAsync(Entry(33333, SiloStatus.Active), gone.Version.Next()));
    }

    private const int Generation = 7;

    private async Task InsertCleanupCandidatesAsync(AdoNetClusteringTable table)
    {
        var longAgo = Now.AddHours(-3);
        var suspecter = SiloAddress.New(IPAddress.Loopback, 22222, Generation);

        var deadLongAgo = Entry(11111, SiloStatus.Dead, start: longAgo);
        deadLongAgo.AddSuspector(suspecter, longAgo.AddMinutes(1));
        var deadRecently = Entry(22222, SiloStatus.Dead, start: longAgo);
        deadRecently.IAmAliveTime = Now;
        var deadWithRecentVote = Entry(33333, SiloStatus.Dead, start: longAgo);
        deadWithRecentVote.AddSuspector(suspecter, Now);
        var deadNoVotes = Entry(44444, SiloStatus.Dead, start: longAgo);
        var activeLongAgo = Entry(55555, SiloStatus.Active, start: longAgo);
        var joiningLongAgo = Entry(16666, SiloStatus.Joining, start: longAgo);

        foreach (var entry in new[] { deadLongAgo, deadRecently, deadWithRecentVote, deadNoVotes, activeLongAgo, joiningLongAgo })
        {
            var read = await table.ReadAllAsync();
            Assert.True(await table.InsertRowAsync(entry, read.Version.Next()));
            if (entry.SuspectTimes is { Count: > 0 })
            {
                // Insert never stores suspicions; they arrive with an update, as in a live cluster.
                var (stored, etag) = (await table.ReadRowAsync(entry.SiloAddress)).Members[0];
                stored.SuspectTimes = entry.SuspectTimes;
                Assert.True(await table.UpdateRowAsync(stored, etag, (await table.ReadAllAsync()).Version.Next()));
            }
        }
    }

    private async Task<List<int>> PortsAsync(string connectionString) =>
        await Sql.ListAsync<int>(connectionString,
            "SELECT port FROM orleans_membership WHERE deployment_id = @id ORDER BY port", ("id", _clusterId));

    private async Task<AdoNetClusteringTable> CreateTableAsync(
        ILogger<AdoNetClusteringTable>? logger = null, string? connectionString = null, string? clusterId = null)
    {
        var table = new AdoNetClusteringTable(
            NoServices,
            ClusterOptions(clusterId),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = "Npgsql",
                ConnectionString = connectionString ?? server.ConnectionString,
            }),
            logger ?? NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private IOptions<ClusterOptions> ClusterOptions(string? clusterId = null) =>
        Options.Create(new ClusterOptions { ClusterId = clusterId ?? _clusterId, ServiceId = "membership-tests" });

    private static MembershipEntry Entry(int port, SiloStatus status, int proxyPort = 0, DateTime? start = null) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, Generation),
        SiloName = $"silo-{port}",
        HostName = "host-" + port,
        Status = status,
        ProxyPort = proxyPort,
        StartTime = start ?? Now,
        IAmAliveTime = start ?? Now,
    };

    private static DateTime WholeMilliseconds(DateTime value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
