using System.Net.Sockets;
using System.Text;

namespace CliProxy.Tests.Support.Outbound;

/// <summary>
/// A forwarding HTTP proxy on 127.0.0.1: a request in absolute form (<c>GET http://host:port/path</c>) is
/// sent on to its target in origin form (with <c>Connection: close</c>, so each connection carries one request) and the answer copied back; <c>CONNECT host:port</c> opens a
/// tunnel. With <see cref="RequiredCredentials"/> set, a request without the matching
/// <c>Proxy-Authorization: Basic</c> is answered 407 with a Basic challenge. Every request head received is kept.
/// </summary>
public sealed class FakeHttpProxy : LoopbackServer
{
    /// <summary><c>user:password</c> the proxy demands, or null for none.</summary>
    public string? RequiredCredentials { get; init; }

    /// <summary>Request heads received (request line first), in order.</summary>
    public List<string[]> Requests { get; } = [];

    /// <summary>The last request head received.</summary>
    public string[] Last
    {
        get
        {
            lock (Requests) return Requests[^1];
        }
    }

    /// <inheritdoc />
    protected override async Task ServeAsync(NetworkStream stream)
    {
        while (await ReadHeadAsync(stream, Stopping) is { } head)
        {
            lock (Requests) Requests.Add(head);
            if (RequiredCredentials is { } needed
                && !head.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(needed)), StringComparer.OrdinalIgnoreCase))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\nContent-Length: 0\r\n\r\n"), Stopping);
                continue;
            }
            var parts = head[0].Split(' ');
            if (parts[0] == "CONNECT")
            {
                var target = parts[1].Split(':');
                await TunnelAsync(stream, target[0], int.Parse(target[1]), [],
                    async () => await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection established\r\n\r\n"), Stopping));
                return;
            }
            var uri = new Uri(parts[1]);
            var forwarded = new StringBuilder($"{parts[0]} {uri.PathAndQuery} {parts[2]}\r\n");
            foreach (var line in head.Skip(1).Where(l => !l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)))
                forwarded.Append(line).Append("\r\n");
            // One request per connection: the upstream closes after answering, so the client's next request
            // comes on a new connection and its head is seen (and kept) here.
            forwarded.Append("Connection: close\r\n\r\n");
            await TunnelAsync(stream, uri.Host, uri.Port, Encoding.ASCII.GetBytes(forwarded.ToString()));
            return;
        }
    }
}
