namespace CliProxy.Gateway.Metrics;

/// <summary>The gateway's metrics settings (section <see cref="Section"/>).</summary>
/// <param name="Enabled"><c>Metrics:Enabled</c> (default true): collect metrics and answer <c>GET /metrics</c>; false maps no route (404) and starts no collection.</param>
/// <param name="Public"><c>Metrics:Public</c> (default false): <c>/metrics</c> answers without a key; otherwise it has the access rules of <c>/v0/management</c>.</param>
/// <param name="ExtraMeters">
/// <c>Metrics:ExtraMeters</c> (a list, default empty): meters exported besides the default ones, e.g. <c>System.Net.Http</c>
/// (outbound HTTP: a measurement per upstream request, which the proxy's own attempt metrics already cover) or
/// <c>Microsoft.AspNetCore.Routing</c>.
/// </param>
public sealed record MetricsSettings(bool Enabled, bool Public, IReadOnlyList<string> ExtraMeters)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metrics";

    /// <summary>The scrape route.</summary>
    public const string Path = "/metrics";

    /// <summary>Reads the settings (missing values take their defaults).</summary>
    public static MetricsSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var extra = section.GetSection("ExtraMeters").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToArray();
        return new MetricsSettings(section.GetValue("Enabled", true), section.GetValue("Public", false), extra);
    }
}
