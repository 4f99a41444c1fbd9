using System.Net;
using System.Net.Sockets;
using CliProxy.Grains.Hosting;
using Orleans.Configuration;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Embedded mode: a silo in the gateway process with localhost clustering, the config grain
/// stored in config.yaml and other state in the data folder. Silo ports come from
/// <c>Cluster:SiloPort</c>/<c>Cluster:GatewayPort</c> or are picked free, so several instances
/// can run on one machine.
/// </summary>
public static class EmbeddedSilo
{
    /// <summary>Adds the co-hosted silo to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddEmbeddedSilo(this WebApplicationBuilder builder, ConfigBootstrap boot)
    {
        var siloPort = builder.Configuration.GetValue<int?>("Cluster:SiloPort") ?? FreePort();
        var gatewayPort = builder.Configuration.GetValue<int?>("Cluster:GatewayPort") ?? FreePort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "cliproxy", clusterId: "embedded");
            silo.AddEmbeddedStorage(boot.ConfigPath, boot.AuthDirectory, boot.DataDirectory);
            silo.AddProxyGrains();
        });
        builder.Services.AddSingleton(boot);
        builder.Services.AddHostedService<ConfigFileWatcher>();
        builder.Services.AddSingleton<IAuthDirScanner>(new AuthDirScanner(boot.AuthDirectory));
        builder.Services.AddHostedService<AuthDirWatcher>();
        return builder;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
