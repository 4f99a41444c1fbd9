namespace CliProxy.Gateway.Hosting;

/// <summary>
/// The HTTP listener's settings (.NET configuration section <c>Http</c>, e.g. <c>--Http:Port=8317</c> or
/// <c>CLIPROXY_Http__TrustedProxies__0=10.0.0.5</c>). Orleans' own settings are in the <c>Cluster</c>
/// section; the old <c>Gateway:*</c> names still work (<see cref="DeprecatedSettings"/>).
/// </summary>
public sealed class HttpSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Http";

    /// <summary>Listen host of a cluster gateway (<c>""</c>, the default: all interfaces). The embedded mode listens where config.yaml's <c>host</c> says.</summary>
    public string Host { get; set; } = "";

    /// <summary>Listen port of a cluster gateway (default 8317). The embedded mode listens on config.yaml's <c>port</c>.</summary>
    public int? Port { get; set; }

    /// <summary>Addresses or CIDR ranges whose <c>X-Forwarded-For</c> is believed (none by default; see <c>Management.ClientAddressResolver</c>).</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How long a stopping gateway keeps serving while it drains (<see cref="GatewayDrain"/>); default 2 s in the cluster modes, none in the embedded mode.</summary>
    public TimeSpan? DrainDelay { get; set; }

    /// <summary>Reads the section from <paramref name="configuration"/>.</summary>
    public static HttpSettings From(IConfiguration configuration) => configuration.GetSection(Section).Get<HttpSettings>() ?? new HttpSettings();
}
