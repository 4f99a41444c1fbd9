using CliProxy.Abstractions.Config;
using CliProxy.Gateway.ConfigCache;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Embedded mode: notices hand edits of config.yaml (checks its size and time stamp every 250 ms,
/// and its content every 2 s in case an edit kept both) and asks the config grain to reload it once
/// the size and time stamp stayed the same for one check, so that a file an editor is still writing
/// (truncated, half written) is not read.
/// The grain ignores its own writes (same text) and invalid edits (logged; the last good
/// document stays in force). A reload that fails is asked for again on the next pass. The snapshot a
/// reload returns goes straight into this node's copy (<paramref name="configs"/>), as a write made
/// through the API does: the edit is served at once, not when the grain's push arrives (or, were it
/// lost, at the copy's next version check a second later).
/// </summary>
public sealed class ConfigFileWatcher(ConfigBootstrap boot, IGrainFactory grains, ConfigSnapshotCache configs, ILogger<ConfigFileWatcher> logger, TimeProvider time)
    : PeriodicBackgroundService(time, logger)
{
    private const int FullCheckEvery = 8;
    private (bool, long, DateTime)? _last;
    private bool _changed;
    private int _tick;

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        var now = Stamp();
        if (_last is null)
        {
            _last = now;
            return;
        }
        if (now != _last)
        {
            // Changed since the last check: read it once it has settled.
            (_last, _changed) = (now, true);
            return;
        }
        if (!_changed && ++_tick % FullCheckEvery != 0) return;
        configs.Offer(await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).Reload());
        _changed = false;
    }

    private (bool, long, DateTime) Stamp()
    {
        var info = new FileInfo(boot.ConfigPath);
        return info.Exists ? (true, info.Length, info.LastWriteTimeUtc) : (false, 0, default);
    }
}
