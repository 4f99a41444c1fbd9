using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Client-mode gateways: when the connection to the cluster is lost, the local copies of the
/// config and of access records may have missed notifications, so they are dropped and read again
/// before the next request is served.
/// </summary>
public sealed class ClusterConnectionWatch(IServiceProvider services, ILogger<ClusterConnectionWatch> logger) : IClusterConnectionStatusObserver
{
    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        logger.LogWarning("Lost the connection to the cluster; local copies will be read again");
        services.GetRequiredService<ConfigSnapshotCache>().Invalidate();
        services.GetRequiredService<ManagementAccessCache>().Invalidate();
    }

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (!connectionRecovered) return;
        services.GetRequiredService<ConfigSnapshotCache>().Invalidate();
        services.GetRequiredService<ManagementAccessCache>().Invalidate();
    }
}
