using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Client-mode gateways: when the connection to the cluster is lost, the local copies of the
/// config and of access records may have missed notifications, so they are dropped and read again
/// before the next request is served. Called on Orleans' connection thread, so it never throws.
/// </summary>
public sealed partial class ClusterConnectionWatch(IServiceProvider services, ILogger<ClusterConnectionWatch> logger) : IClusterConnectionStatusObserver
{
    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        logger.LogWarning("Lost the connection to the cluster; local copies will be read again");
        InvalidateCopies();
    }

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered) InvalidateCopies();
    }

    private void InvalidateCopies()
    {
        try
        {
            services.GetRequiredService<ConfigSnapshotCache>().Invalidate();
            services.GetRequiredService<ManagementAccessCache>().Invalidate();
        }
        catch (Exception e)
        {
            LogInvalidateFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not drop the local copies after a change of the cluster connection")]
    private static partial void LogInvalidateFailed(ILogger logger, Exception exception);
}
