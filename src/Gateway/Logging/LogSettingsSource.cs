using CliProxy.Domain.Config.Settings;
using CliProxy.Gateway.ConfigCache;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The log settings (<c>logging-to-file</c>, <c>request-log</c>, the two limits, <c>commercial-mode</c>)
/// as the request path reads them: from this node's config copy, which takes a change made through this
/// node at once and one made elsewhere when its push arrives, without a grain call. While the copy is
/// not trusted (cluster connection lost) the last settings seen keep applying.
/// </summary>
public sealed class LogSettingsSource(ConfigSnapshotCache configs)
{
    private volatile ConfigSettings? _lastKnown;

    /// <summary>The current settings (the defaults before any config was seen: nothing logged to files).</summary>
    public ConfigSettings Current
    {
        get
        {
            if (configs.Fresh is { } view) return _lastKnown = view.Settings;
            return _lastKnown ?? ConfigSettings.Defaults;
        }
    }
}
