using CliProxy.Abstractions.Config;
using CliProxy.Grains.Hosting;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Cluster mode of the gateway (setting <c>Cluster:Mode</c> = <c>client</c> or <c>cohost</c>): an
/// Orleans client of the PostgreSQL-backed cluster, or a silo of it that also serves HTTP. The
/// config and credentials live in the cluster; the gateway listens on <c>Http:Host</c> /
/// <c>Http:Port</c> (default all interfaces, 8317).
/// </summary>
public static class ClusterGateway
{
    /// <summary>The setting that chooses the mode: <c>embedded</c> (default), <c>client</c> or <c>cohost</c>.</summary>
    public const string ModeKey = "Cluster:Mode";

    /// <summary>Adds the Orleans client or co-hosted silo; applies the schema first when co-hosting.</summary>
    public static async Task<GatewayHost> AddClusterGatewayAsync(this WebApplicationBuilder builder, bool cohost)
    {
        var settings = ClusterSettings.From(builder.Configuration);
        if (cohost)
        {
            await settings.MigrateIfEnabledAsync();
            builder.UseOrleans(silo => silo.AddClusterSilo(settings));
        }
        else
        {
            builder.UseOrleansClient(client => client.AddClusterClient(settings));
            builder.Services.AddSingleton<IClusterConnectionStatusObserver, ClusterConnectionWatch>();
        }
        var http = HttpSettings.From(builder.Configuration);
        return new GatewayHost(http.Host.Trim(), http.Port ?? ConfigBootstrap.DefaultPort, null, "",
            Endpoints.ControlPanelEndpoints.ResolvePanelPath(AppContext.BaseDirectory, Environment.GetEnvironmentVariable("MANAGEMENT_STATIC_PATH")),
            $"cluster {settings.ClusterId} ({(cohost ? "co-hosted silo" : "client")})");
    }

    /// <summary>
    /// Refuses to serve with a <c>MANAGEMENT_PASSWORD</c> that the cluster's document does not accept:
    /// gateways of one cluster must agree on the management secret. Returns the problem, or null.
    /// </summary>
    /// <param name="env">The trimmed <c>MANAGEMENT_PASSWORD</c> of this process (empty when unset).</param>
    /// <param name="hash">The cluster document's <c>remote-management.secret-key</c> hash (empty when unset).</param>
    public static string? CheckSecret(string env, string hash)
    {
        if (env.Length == 0) return null;
        if (hash.Length == 0 || BCrypt.Net.BCrypt.Verify(env, hash)) return null;
        return "MANAGEMENT_PASSWORD differs from the cluster's remote-management.secret-key; refusing to start";
    }
}
