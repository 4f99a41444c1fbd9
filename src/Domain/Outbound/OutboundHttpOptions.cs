namespace CliProxy.Domain.Outbound;

/// <summary>Settings of every outbound HTTP client (.NET configuration section <c>Outbound</c>).</summary>
public sealed class OutboundHttpOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Outbound";

    /// <summary>Longest a TCP connect (to the target or the proxy, TLS not included) may take; default 30 s, as Go's default dialer.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a pooled connection is reused before a new one is opened (default 5 minutes), so that
    /// DNS changes are seen although each client's handler lives as long as the process.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
