using CliProxy.Abstractions.AuthFiles;
using CliProxy.Grains.AuthFiles;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Embedded mode: notices credential files added, changed or removed by hand in <c>auth-dir</c>
/// (every 2 s it compares names, sizes and time stamps with the previous scan, and the names with
/// the index, so a file created and removed between two scans is noticed too) and asks each
/// affected auth-file grain to re-read its file; the grain updates the index. Writes made through
/// the API change the stamps too; the grain sees identical text and does nothing.
/// </summary>
public sealed class AuthDirWatcher(ConfigBootstrap boot, IGrainFactory grains, ILogger<AuthDirWatcher> logger, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = Scan();
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = Scan();
            var indexed = (await grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List()).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            var changed = now.Where(kv => !known.TryGetValue(kv.Key, out var stamp) || stamp != kv.Value).Select(kv => kv.Key)
                .Concat(known.Keys.Where(k => !now.ContainsKey(k)))
                .Concat(indexed.Where(k => !now.ContainsKey(k)))
                .Distinct(StringComparer.Ordinal).ToList();
            known = now;
            foreach (var name in changed)
            {
                try
                {
                    await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Reload();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Could not reload credential {Name}: {Error}", name, e.Message);
                }
            }
        }
    }

    private Dictionary<string, (long, DateTime)> Scan()
    {
        var result = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        if (!Directory.Exists(boot.AuthDirectory)) return result;
        foreach (var info in new DirectoryInfo(boot.AuthDirectory).EnumerateFiles())
            if (AuthFileName.Validate(info.Name, out _) is null) result[info.Name] = (info.Length, info.LastWriteTimeUtc);
        return result;
    }
}
