using CliProxy.Gateway.ConfigCache;

namespace CliProxy.Gateway.Usage;

/// <summary>
/// <c>usage-statistics-enabled</c> (spec §1.10) as this node's config copy has it, read without a
/// grain call: each node honours the setting from the moment its copy has the new version.
/// </summary>
public sealed class UsageSwitch(ConfigSnapshotCache configs)
{
    private volatile Seen? _last;

    /// <summary>True or false from the current config version; null before this node has one (the record is then kept).</summary>
    public bool? Enabled
    {
        get
        {
            if (configs.Fresh is not { } view) return null;
            if (_last is { } last && last.Version == view.Version) return last.Enabled;
            var enabled = view.Settings.UsageStatisticsEnabled;
            _last = new Seen(view.Version, enabled);
            return enabled;
        }
    }

    private sealed record Seen(long Version, bool Enabled);
}
