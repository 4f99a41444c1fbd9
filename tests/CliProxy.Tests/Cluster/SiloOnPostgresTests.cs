using CliProxy.Tests.Support;
using System.Net;
using System.Text.Json;
using CliProxy.Grains.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Xunit;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// End to end: real silos join a cluster through ADO.NET clustering on the schema and persist a
/// grain's state as JSON through ADO.NET grain storage, and a later silo reads it back.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class SiloOnPostgresTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _clusterId = "silo-" + Guid.NewGuid().ToString("N");
    private readonly string _serviceId = "silo-tests-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public Task InitializeAsync() => new PostgresSchema(server.ConnectionString).ApplyAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_silo_joins_persists_json_state_leaves_as_dead_and_the_next_silo_reads_the_state()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        using (var first = BuildSilo())
        {
            await first.StartAsync(timeout.Token);
            var probe = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchemaProbeGrain>("u:probe");
            Assert.Equal(1, await probe.IncrementAsync());
            Assert.Equal(2, await probe.IncrementAsync());

            Assert.Equal([3], await StatusesAsync());           // Active
            await first.StopAsync(timeout.Token);
        }

        Assert.Equal([6], await StatusesAsync());               // Dead after a graceful stop

        using (var second = BuildSilo())
        {
            await second.StartAsync(timeout.Token);
            var probe = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchemaProbeGrain>("u:probe");
            Assert.Equal(3, await probe.IncrementAsync());      // read 2 back from PostgreSQL
            Assert.Equal([3, 6], await StatusesAsync());
            await second.StopAsync(timeout.Token);
        }

        var payload = await Sql.ScalarAsync<string>(server.ConnectionString,
            """
            SELECT payload::text FROM orleans_storage
            WHERE service_id = @s AND grain_type = 'schema-probe' AND grain_id_extension = 'u:probe'
            """, ("s", _serviceId));
        using var json = JsonDocument.Parse(payload);
        Assert.Equal(3, json.RootElement.GetProperty("Count").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("Silos").GetArrayLength());
        // System.Text.Json, not Newtonsoft: no "$type"/"$id" metadata in the stored document.
        Assert.False(json.RootElement.TryGetProperty("$type", out _));
    }

    private IHost BuildSilo()
    {
        var connectionString = server.ConnectionString;
        return new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = _clusterId;
                    options.ServiceId = _serviceId;
                })
                .ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next())
                .UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .AddAdoNetGrainStorage(SchemaProbeGrain.StorageName, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                })
                .UseSystemTextJsonGrainStorageSerializer())
            .Build();
    }

    private Task<List<int>> StatusesAsync() => Sql.ListAsync<int>(server.ConnectionString,
        "SELECT status FROM orleans_membership WHERE deployment_id = @id ORDER BY status", ("id", _clusterId));
}
