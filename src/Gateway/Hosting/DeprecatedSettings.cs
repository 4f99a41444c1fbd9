namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Old names of .NET settings, still read: the section <c>Gateway</c> once named both the HTTP listener
/// and the hosting mode, and <c>Orleans</c> the embedded silo's ports. A value given under an old name
/// counts for the new one unless the new one is set too (then the old one is ignored); either way a
/// warning names the new key once the host has started logging.
/// </summary>
public static partial class DeprecatedSettings
{
    /// <summary>Old name → new name (a section's children move with it: <c>Gateway:TrustedProxies:0</c> → <c>Http:TrustedProxies:0</c>).</summary>
    public static readonly IReadOnlyList<(string Old, string New)> Renamed =
    [
        ("Gateway:Mode", ClusterGateway.ModeKey),
        ("Gateway:Host", "Http:Host"),
        ("Gateway:Port", "Http:Port"),
        ("Gateway:TrustedProxies", "Http:TrustedProxies"),
        ("Gateway:DrainDelay", "Http:DrainDelay"),
        ("Gateway:LatestReleaseUrl", Endpoints.LatestVersionEndpoints.ReleaseUrlKey),
        ("Orleans:SiloPort", "Cluster:SiloPort"),
        ("Orleans:GatewayPort", "Cluster:GatewayPort"),
    ];

    /// <summary>One old name found in the configuration.</summary>
    /// <param name="Old">The old key.</param>
    /// <param name="New">The key to use instead.</param>
    /// <param name="Ignored">True when the new key is set too, so the old value was not used.</param>
    public sealed record Use(string Old, string New, bool Ignored);

    /// <summary>
    /// The values the old names of <paramref name="configuration"/> give to the new names (new keys
    /// already set are left alone), and the old names found.
    /// </summary>
    public static (Dictionary<string, string?> Values, List<Use> Uses) Translate(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var uses = new List<Use>();
        foreach (var (oldKey, newKey) in Renamed)
        {
            var old = configuration.GetSection(oldKey);
            if (!old.Exists()) continue;
            var ignored = configuration.GetSection(newKey).Exists();
            uses.Add(new Use(oldKey, newKey, ignored));
            if (ignored) continue;
            if (old.Value is { } own) values[newKey] = own;
            foreach (var (path, value) in old.AsEnumerable(makePathsRelative: true)) // the children, without the section itself
                if (value is not null) values[ConfigurationPath.Combine(newKey, path)] = value;
        }
        return (values, uses);
    }

    /// <summary>Adds the translated values to <paramref name="configuration"/> (after all its sources) and returns the old names found.</summary>
    public static IReadOnlyList<Use> Apply(IConfigurationManager configuration)
    {
        var (values, uses) = Translate(configuration);
        if (values.Count > 0) configuration.AddInMemoryCollection(values);
        return uses;
    }

    /// <summary>Logs a warning per old name found.</summary>
    public static void Log(ILogger logger, IReadOnlyList<Use> uses)
    {
        foreach (var use in uses)
        {
            if (use.Ignored) OldIgnored(logger, use.Old, use.New);
            else OldUsed(logger, use.Old, use.New);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting {Old} is deprecated and was read as {New}: rename it")]
    private static partial void OldUsed(ILogger logger, string old, string @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting {Old} is deprecated and ignored: {New} is set")]
    private static partial void OldIgnored(ILogger logger, string old, string @new);
}
