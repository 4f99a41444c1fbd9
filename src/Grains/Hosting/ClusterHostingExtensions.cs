using CliProxy.Abstractions.Calls;
using CliProxy.Grains.AuthFiles;
using CliProxy.Grains.Storage.Postgres;
using CliProxy.Grains.Usage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// Cluster mode: silos on PostgreSQL (ADO.NET clustering, grain storage and reminders, state stored as
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
        silo.AddPostgresUsageStore(settings.ConnectionString, settings.ServiceId);
        // Login sessions leave no row behind once they end.
        silo.AddAdoNetGrainStorage(StorageNames.OAuthSessions, o =>
            (o.Invariant, o.ConnectionString, o.DeleteStateOnClear) = (Invariant, settings.ConnectionString, true));
        silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (Invariant, settings.ConnectionString));
        silo.UseSystemTextJsonGrainStorageSerializer();
        // Readable rows: keep quotes and non-ASCII as they are (the column is json, not HTML).
        silo.Services.Configure<Orleans.Serialization.SystemTextJsonGrainStorageSerializerOptions>(o =>
            o.JsonSerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = settings.ResponseTimeout;
            o.ClientGatewayShutdownNotificationTimeout = settings.ClientDrainDelay;
        });
        silo.Configure<ClusterMembershipOptions>(o => ConfigureFailureDetection(o, settings));
        silo.AddProxyGrains();
        return silo;
    }

    /// <summary>
    /// Failure detection tuned for failover in seconds (README "Failover"). A killed silo refuses
    /// connections, so each probe to it fails at once, but Orleans still sends one probe per probe
    /// period (the adaptive probe timeout: <see cref="ClusterSettings.ProbeTimeout"/> until four probes
    /// were answered, then half of it plus the measured round trip) and votes the silo dead after
    /// <see cref="ClusterSettings.MissedProbesLimit"/> failed probes in a row (in a 2-silo cluster one
    /// vote is enough, with more silos two). With Orleans' 5 s that took 8–15 s (13.7 s measured);
    /// with 1 s about 1 s. Live but slow silos are protected by Orleans itself: the timeout grows while
    /// the prober's own process is degraded (<c>ExtendProbeTimeoutDuringDegradation</c>), a probe that
    /// fails while the prober stalled does not count, and no vote is cast while any message arrived
    /// from the suspect within the last 4 × timeout × limit (<c>EnableConnectionLivenessCheck</c>, 12 s).
    /// Votes expire after 30 s instead of 2 minutes, so that stray votes do not add up.
    /// </summary>
    private static void ConfigureFailureDetection(ClusterMembershipOptions options, ClusterSettings settings)
    {
        options.ProbeTimeout = settings.ProbeTimeout;
        options.NumMissedProbesLimit = settings.MissedProbesLimit;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }

    /// <summary>
    /// Configures an Orleans client of the cluster (a gateway that hosts no silo, or the silo's import and
    /// export commands), with the retry rules of grain calls (<see cref="ResendFilter"/>).
    /// </summary>
    public static IClientBuilder AddClusterClient(this IClientBuilder client, ClusterSettings settings)
    {
        client.Services.AddGrainCallResends();
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
