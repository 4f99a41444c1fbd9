namespace CliProxy.Gateway.Metrics;

/// <summary>The gateway's metrics settings (section <see cref="Section"/>).</summary>
/// <param name="Enabled"><c>Metrics:Enabled</c> (default true): collect metrics and answer <c>GET /metrics</c>; false maps no route (404) and starts no collection.</param>
/// <param name="Public"><c>Metrics:Public</c> (default false): <c>/metrics</c> answers without a key; otherwise it has the access rules of <c>/v0/management</c>.</param>
public sealed record MetricsSettings(bool Enabled, bool Public)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metrics";

    /// <summary>The scrape route.</summary>
    public const string Path = "/metrics";

    /// <summary>Reads the settings (missing values take their defaults).</summary>
    public static MetricsSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new MetricsSettings(section.GetValue("Enabled", true), section.GetValue("Public", false));
    }
}
