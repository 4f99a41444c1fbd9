using Microsoft.Extensions.Hosting;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// Ends the process if a requested shutdown does not finish: a silo whose graceful stop loses
/// its database can otherwise hang after Orleans aborts the stop (seen in practice).
/// </summary>
public static class ShutdownWatchdog
{
    /// <summary>Exits with code 3 when the process is still alive <paramref name="grace"/> after shutdown began.</summary>
    public static void Arm(IHostApplicationLifetime lifetime, TimeSpan grace) =>
        lifetime.ApplicationStopping.Register(() => _ = Task.Delay(grace).ContinueWith(_ => Environment.Exit(3), TaskScheduler.Default));
}
