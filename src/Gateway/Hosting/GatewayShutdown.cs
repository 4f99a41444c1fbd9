using CliProxy.Grains.Hosting;

namespace CliProxy.Gateway.Hosting;

/// <summary>How a gateway process ends when its stop hangs.</summary>
public static class GatewayShutdown
{
    /// <summary>How long a stop may take before the process exits (code 3).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Arms the <see cref="ShutdownWatchdog"/>: a stop still running <see cref="Grace"/> after it began ends
    /// the process. Dispose the handle when the entry point returns (a test host runs the entry point
    /// in-process and must not be killed after its stop).
    /// </summary>
    public static IDisposable ArmShutdownWatchdog(this WebApplication app) => ShutdownWatchdog.Arm(app.Lifetime, Grace);
}
