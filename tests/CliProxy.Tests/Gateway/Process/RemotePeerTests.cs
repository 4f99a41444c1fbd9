using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// The client address is the socket peer (correction 7): a request that really comes from another
/// interface cannot claim to be local with forwarding headers. Needs real sockets, so a process.
/// </summary>
[Process]
public sealed class RemotePeerTests
{
    /// <summary>A non-loopback IPv4 address of this machine, or null.</summary>
    internal static IPAddress? NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    [Fact]
    public async Task A_remote_peer_cannot_claim_to_be_local()
    {
        var address = NonLoopbackAddress();
        Assert.True(address is not null, "this test needs a non-loopback IPv4 address on the machine");
        await using var g = await Mgmt.StartProcessAsync(Mgmt.FullYaml.Replace("host: \"127.0.0.1\"", "host: \"\""));
        using var remote = new HttpClient { BaseAddress = new Uri($"http://{address}:{g.Port}"), Timeout = TimeSpan.FromSeconds(30) };
        foreach (var claim in new[] { "127.0.0.1", "::1" })
        {
            var r = await g.Raw("GET", Mgmt.Prefix + "/debug", headers: [("Authorization", "Bearer " + Mgmt.Key), ("X-Real-IP", claim)], from: claim, client: remote);
            Mgmt.AssertError(r, 403, "remote management disabled");
        }
        // The same request from the loopback peer is local.
        Assert.Equal(200, (await g.Raw("GET", Mgmt.Prefix + "/debug", headers: [("Authorization", "Bearer " + Mgmt.Key)])).Status);
    }
}
