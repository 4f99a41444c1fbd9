using System.Net;

namespace CliProxy.Gateway.Management;

/// <summary>
/// The management client's address: the socket peer, unless the peer is a trusted proxy (setting
/// <c>Http:TrustedProxies</c>, addresses or CIDR ranges; none by default), in which case
/// <c>X-Forwarded-For</c> is read from the right, skipping trusted proxies. The reference trusts
/// forwarding headers from anyone, which lets any client claim to be local.
/// </summary>
public sealed class ClientAddressResolver
{
    private readonly IReadOnlyList<IPNetwork> _trusted;

    /// <summary>Creates a resolver trusting <paramref name="trustedProxies"/> (e.g. <c>10.0.0.5</c>, <c>10.1.0.0/16</c>).</summary>
    public ClientAddressResolver(IEnumerable<string> trustedProxies)
    {
        _trusted = trustedProxies.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Parse).ToList();
    }

    /// <summary>The client address of <paramref name="context"/>'s request.</summary>
    public IPAddress Resolve(HttpContext context)
    {
        var peer = Normalize(context.Connection.RemoteIpAddress ?? IPAddress.Loopback);
        if (!IsTrusted(peer)) return peer;
        var hops = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).Select(h => h.Trim()).ToList();
        for (var i = hops.Count - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) return peer;
            hop = Normalize(hop);
            if (!IsTrusted(hop)) return hop;
        }
        return peer;
    }

    /// <summary>True for loopback addresses (the reference's "local" client).</summary>
    public static bool IsLocal(IPAddress address) => IPAddress.IsLoopback(address);

    private bool IsTrusted(IPAddress address) => _trusted.Any(n => n.Contains(address));

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static IPNetwork Parse(string text)
    {
        text = text.Trim();
        if (text.Contains('/')) return IPNetwork.Parse(text);
        var ip = Normalize(IPAddress.Parse(text));
        return new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
