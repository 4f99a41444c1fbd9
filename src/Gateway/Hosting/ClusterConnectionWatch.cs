using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Client-mode gateways: when the connection to the cluster is lost (or comes back), the node's
/// mirrors of grain state (<see cref="IGrainStateMirror"/>: the config, the access records, the
/// credential index) may have missed pushes, so they are invalidated and read again before they
/// serve. Called on Orleans' connection thread, so it never throws.
/// </summary>
public sealed partial class ClusterConnectionWatch(IServiceProvider services, ILogger<ClusterConnectionWatch> logger) : IClusterConnectionStatusObserver
{
    /// <inheritdoc />
    public void NotifyClusterConnectionLost()
    {
        LogConnectionLost(logger);
        InvalidateCopies();
    }

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered) InvalidateCopies();
    }

    private void InvalidateCopies()
    {
        foreach (var mirror in Mirrors())
        {
            try
            {
                mirror.Invalidate();
            }
            catch (Exception e)
            {
                LogInvalidateFailed(logger, e, mirror.GetType().Name);
            }
        }
    }

    private IEnumerable<IGrainStateMirror> Mirrors()
    {
        try
        {
            return services.GetServices<IGrainStateMirror>().ToList();
        }
        catch (Exception e)
        {
            LogInvalidateFailed(logger, e, "(resolving the mirrors)");
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the cluster; local copies will be read again")]
    private static partial void LogConnectionLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not drop the local copy {Mirror} after a change of the cluster connection")]
    private static partial void LogInvalidateFailed(ILogger logger, Exception exception, string mirror);
}
