using CliProxy.Grains.AuthFiles;
using CliProxy.Grains.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// Cluster mode: silos on PostgreSQL (ADO.NET clustering and grain storage, state stored as
/// readable JSON through System.Text.Json) and gateways that are clients of such a cluster.
/// </summary>
public static class ClusterHostingExtensions
{
    private const string Invariant = "Npgsql";

    /// <summary>Configures a cluster silo: membership, endpoints and every storage name on PostgreSQL.</summary>
    public static ISiloBuilder AddClusterSilo(this ISiloBuilder silo, ClusterSettings settings)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        silo.ConfigureEndpoints(settings.Advertised(), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, settings.ConnectionString));
        silo.Services.AddSingleton<IAuthFileCatalog>(new PostgresAuthCatalog(settings.ConnectionString, settings.ServiceId));
        foreach (var name in new[] { StorageNames.Config, StorageNames.AuthFiles, StorageNames.State })
            silo.AddAdoNetGrainStorage(name, o => (o.Invariant, o.ConnectionString) = (Invariant, settings.ConnectionString));
        silo.UseSystemTextJsonGrainStorageSerializer();
        // Readable rows: keep quotes and non-ASCII as they are (the column is json, not HTML).
        silo.Services.Configure<Orleans.Serialization.SystemTextJsonGrainStorageSerializerOptions>(o =>
            o.JsonSerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        if (settings.FastFailover)
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
        }
        silo.AddProxyGrains();
        return silo;
    }

    /// <summary>Configures an Orleans client of the cluster (a gateway that hosts no silo).</summary>
    public static IClientBuilder AddClusterClient(this IClientBuilder client, ClusterSettings settings)
    {
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, settings.ConnectionString));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = settings.GatewayListRefresh);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = settings.ResponseTimeout);
        return client;
    }

    /// <summary>Applies the database schema when <see cref="ClusterSettings.Migrate"/> is set; call before the host starts.</summary>
    public static async Task MigrateIfEnabledAsync(this ClusterSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.Migrate) await new PostgresSchema(settings.ConnectionString).ApplyAsync(cancellationToken);
    }
}
