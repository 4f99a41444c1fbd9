using CliProxy.Abstractions.AuthFiles;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Embedded mode: notices credential files added, changed or removed by hand in <c>auth-dir</c>
/// (every 2 s it compares names, sizes and time stamps with the previous scan, and the names with
/// the index, so a file created and removed between two scans is noticed too) and asks each
/// affected auth-file grain to re-read its file; the grain updates the index. Writes made through
/// the API change the stamps too; the grain sees identical text and does nothing. A name whose
/// reload fails is tried again on the next pass; a pass that fails is retried as a whole.
/// </summary>
public sealed partial class AuthDirWatcher(IAuthDirScanner scanner, IGrainFactory grains, ILogger<AuthDirWatcher> logger, TimeProvider time)
    : PeriodicBackgroundService(time, logger)
{
    /// <summary>Time between two scans.</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(2);

    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private Dictionary<string, (long Size, DateTime Written)>? _known;

    /// <inheritdoc />
    protected override TimeSpan Interval => ScanInterval;

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        var now = scanner.Scan();
        if (_known is null)
        {
            // The index adopted the folder when it activated: the first scan is the baseline.
            _known = now;
            return;
        }
        var indexed = (await grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List()).Select(s => s.Name);
        var known = _known;
        _pending.UnionWith(now.Where(kv => !known.TryGetValue(kv.Key, out var stamp) || stamp != kv.Value).Select(kv => kv.Key));
        _pending.UnionWith(known.Keys.Where(k => !now.ContainsKey(k)));
        _pending.UnionWith(indexed.Where(k => !now.ContainsKey(k)));
        _known = now;
        foreach (var name in _pending.ToList())
        {
            stoppingToken.ThrowIfCancellationRequested();
            try
            {
                await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Reload();
                _pending.Remove(name);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogReloadFailed(logger, name, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reload credential {Name}, trying again on the next pass: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string name, string error);
}
