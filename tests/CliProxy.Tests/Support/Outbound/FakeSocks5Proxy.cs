using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CliProxy.Tests.Support.Outbound;

/// <summary>
/// A SOCKS5 proxy on 127.0.0.1 (RFC 1928 CONNECT; RFC 1929 user name and password when
/// <see cref="RequiredCredentials"/> is set, else no authentication); keeps each tunnel's target and user.
/// </summary>
public sealed class FakeSocks5Proxy : LoopbackServer
{
    /// <summary><c>(user, password)</c> the proxy demands, or null for none.</summary>
    public (string User, string Password)? RequiredCredentials { get; init; }

    /// <summary>Tunnels opened: target as <c>host:port</c> (a name as the client sent it) and the user who authenticated (empty without).</summary>
    public List<(string Target, string User)> Tunnels { get; } = [];

    /// <inheritdoc />
    protected override async Task ServeAsync(NetworkStream stream)
    {
        var greeting = await ReadAsync(stream, 2);
        var methods = await ReadAsync(stream, greeting[1]);
        var user = "";
        if (RequiredCredentials is { } needed)
        {
            if (!methods.Contains((byte)2))
            {
                await stream.WriteAsync(new byte[] { 5, 0xFF }, Stopping);
                return;
            }
            await stream.WriteAsync(new byte[] { 5, 2 }, Stopping);
            await ReadAsync(stream, 1);
            user = Encoding.UTF8.GetString(await ReadAsync(stream, (await ReadAsync(stream, 1))[0]));
            var password = Encoding.UTF8.GetString(await ReadAsync(stream, (await ReadAsync(stream, 1))[0]));
            var ok = user == needed.User && password == needed.Password;
            await stream.WriteAsync(new byte[] { 1, (byte)(ok ? 0 : 1) }, Stopping);
            if (!ok) return;
        }
        else
        {
            await stream.WriteAsync(new byte[] { 5, 0 }, Stopping);
        }
        var request = await ReadAsync(stream, 4);
        var host = request[3] switch
        {
            1 => new IPAddress(await ReadAsync(stream, 4)).ToString(),
            4 => new IPAddress(await ReadAsync(stream, 16)).ToString(),
            _ => Encoding.ASCII.GetString(await ReadAsync(stream, (await ReadAsync(stream, 1))[0])),
        };
        var portBytes = await ReadAsync(stream, 2);
        var port = portBytes[0] << 8 | portBytes[1];
        lock (Tunnels) Tunnels.Add(($"{host}:{port}", user));
        await TunnelAsync(stream, host, port, [],
            async () => await stream.WriteAsync(new byte[] { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, Stopping));
    }

    private async Task<byte[]> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Stopping);
        return buffer;
    }
}
