using System.Net;
using System.Net.Sockets;

namespace CliProxy.Gateway.ApiCall;

/// <summary>
/// The targets <c>POST /api-call</c> refuses, checked for the first URL and for every redirect
/// (spec §3; the reference refused nothing, §7 defect 18). The route exists to reach provider APIs
/// with a stored credential; these targets are not provider APIs, and reaching them through the
/// route would give its caller more than the management key gives:
/// <list type="bullet">
/// <item>this gateway itself through a loopback address (its listen port, or any port for a
/// <c>/v0/management</c> path): the request would arrive as a <em>local</em> client, which the access
/// rules trust more than a remote one (management with <c>allow-remote: false</c>, the local password,
/// the loopback-only <c>/v1internal</c> routes), and an <c>/api-call</c> calling itself multiplies work;</item>
/// <item>link-local addresses (<c>169.254.0.0/16</c>, <c>fe80::/10</c>), where cloud instance-metadata
/// services hand out the machine's own cloud credentials.</item>
/// </list>
/// A host name is resolved for the check; an answer that changes between the check and the connection
/// (DNS rebinding) is not caught. Other loopback services (a local model server) stay reachable.
/// </summary>
public sealed class ApiCallTargets(int listenPort)
{
    /// <summary>Path prefix of the management API.</summary>
    public const string ManagementPrefix = "/v0/management";

    /// <summary>Why <paramref name="target"/> is refused, or null when it may be called.</summary>
    public async Task<string?> RefusalAsync(Uri target, CancellationToken cancellationToken)
    {
        var addresses = await AddressesOf(target.IdnHost, cancellationToken);
        foreach (var address in addresses)
        {
            var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (IsLinkLocal(a)) return $"{target.Host} is a link-local address (instance metadata)";
            if (IsLocalHost(a) && (target.Port == listenPort || target.AbsolutePath.StartsWith(ManagementPrefix, StringComparison.Ordinal)))
                return $"{target.Host}:{target.Port} is this gateway";
        }
        return null;
    }

    private static async Task<IPAddress[]> AddressesOf(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return [literal];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return []; // the request itself will fail to resolve it
        }
    }

    private static bool IsLocalHost(IPAddress a) =>
        IPAddress.IsLoopback(a) || a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any);

    private static bool IsLinkLocal(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork
        ? a.GetAddressBytes() is [169, 254, ..]
        : a.IsIPv6LinkLocal;
}
