using CliProxy.Abstractions.Config;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Embedded mode: notices hand edits of config.yaml (checks its size and time stamp every 250 ms,
/// and its content every 2 s in case an edit kept both) and asks the config grain to reload it.
/// The grain ignores its own writes (same text) and invalid edits (logged; the last good
/// document stays in force).
/// </summary>
public sealed class ConfigFileWatcher(ConfigBootstrap boot, IGrainFactory grains, ILogger<ConfigFileWatcher> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const int FullCheckEvery = 8;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = Stamp();
        var tick = 0;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = Stamp();
            if (now == last && ++tick % FullCheckEvery != 0) continue;
            last = now;
            try
            {
                await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).Reload();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Config reload failed: {Error}", e.Message);
            }
        }
    }

    private (bool, long, DateTime) Stamp()
    {
        var info = new FileInfo(boot.ConfigPath);
        return info.Exists ? (true, info.Length, info.LastWriteTimeUtc) : (false, 0, default);
    }
}
