using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// Cluster-mode settings, bound from the <c>Cluster</c> section of .NET configuration (environment:
/// <c>CLIPROXY_Cluster__ConnectionString</c> and so on).
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Cluster";

    /// <summary>Connections each process may open when the connection string sets no pool size.</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>Npgsql connection string of the cluster's PostgreSQL database (required).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Orleans cluster id: silos and clients with the same id form one cluster (default <c>cliproxy</c>).</summary>
    public string ClusterId { get; set; } = "cliproxy";

    /// <summary>Orleans service id: the key of all stored grain state (default <c>cliproxy</c>); keep it across deployments.</summary>
    public string ServiceId { get; set; } = "cliproxy";

    /// <summary>Silo-to-silo port (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (gateways) connect to (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other nodes use to reach this silo; default: the first non-loopback IPv4 address, else 127.0.0.1.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Apply the database schema at start (under an advisory lock); default true.</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>
    /// Initial timeout of a liveness probe between silos (default 1 s; Orleans' own default is 5 s).
    /// Probes then adapt to the measured response times, between half of it and four times it, and
    /// a probe is sent each timeout period: a crashed silo is declared dead after
    /// <see cref="MissedProbesLimit"/> periods (about 1 s with the defaults, see README "Failover").
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed probes after which a silo votes another one dead (default 3, Orleans' default).</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// How long a silo that stops gracefully keeps serving its connected clients (the gateways) after
    /// telling them to send elsewhere, before it stops taking their messages (default 1 s; Orleans'
    /// own default is none). Without it a request a gateway sent just as the silo stopped was lost and
    /// failed only after <see cref="ResponseTimeout"/>.
    /// </summary>
    public TimeSpan ClientDrainDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a client refreshes its list of silo gateways (default 10 s).</summary>
    public TimeSpan GatewayListRefresh { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time a grain call may take before it fails (default 10 s; Orleans' own default is 30 s). A call
    /// that was on its way into a silo process when it crashed gets no answer: it fails after this time.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads the section from <paramref name="configuration"/>; throws when the connection string is missing.</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            throw new InvalidOperationException("Cluster:ConnectionString is required in cluster mode (e.g. CLIPROXY_Cluster__ConnectionString)");
        // Npgsql pools up to 100 connections per process, PostgreSQL accepts 100 in all: a few busy
        // nodes would exhaust it. Unless the string says otherwise, each process keeps at most 20.
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(settings.ConnectionString);
        if (!settings.ConnectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)
            && !settings.ConnectionString.Contains("PoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        settings.ConnectionString = builder.ConnectionString;
        return settings;
    }

    /// <summary>The address this silo advertises.</summary>
    public IPAddress Advertised()
    {
        if (!string.IsNullOrWhiteSpace(AdvertisedAddress)) return Dns.GetHostAddresses(AdvertisedAddress).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        var candidate = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return candidate ?? IPAddress.Loopback;
    }
}
