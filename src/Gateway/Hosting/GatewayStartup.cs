using CliProxy.Abstractions.Config;

namespace CliProxy.Gateway.Hosting;

/// <summary>Checks made once the gateway has started, before it is announced.</summary>
public static class GatewayStartup
{
    /// <summary>
    /// Activates the config grain (it validates the document and replaces a plaintext secret by its
    /// hash) and, in cluster mode, checks that this gateway's secret agrees with the cluster.
    /// Returns the reason to stop, or null.
    /// </summary>
    public static async Task<string?> CheckAsync(WebApplication app, bool cluster)
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var snapshot = await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).GetSnapshot();
        return cluster ? ClusterGateway.CheckSecret(app.Services.GetRequiredService<Management.ManagementSecrets>().EnvironmentSecret, snapshot.Management.SecretKey) : null;
    }
}
