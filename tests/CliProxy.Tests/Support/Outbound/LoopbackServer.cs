using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CliProxy.Tests.Support.Outbound;

/// <summary>
/// A TCP server on 127.0.0.1 that hands every accepted connection to <see cref="ServeAsync"/>; the base of
/// the fake proxies of the outbound tests.
/// </summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    protected LoopbackServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Serves one accepted connection (disposed afterwards).</summary>
    protected abstract Task ServeAsync(NetworkStream stream);

    /// <summary>Reads an HTTP head up to the blank line; null when the peer closed first.</summary>
    protected static async Task<string[]?> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, cancellationToken) == 0) return null;
            head.Append((char)buffer[0]);
        }
        return head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Copies both directions between <paramref name="client"/> and a connection to <paramref name="host"/>:<paramref name="port"/> until either closes.</summary>
    protected async Task TunnelAsync(Stream client, string host, int port, byte[] firstBytes, Func<Task>? connected = null)
    {
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(host, port, Stopping);
        var target = upstream.GetStream();
        if (connected is not null) await connected();
        if (firstBytes.Length > 0) await target.WriteAsync(firstBytes, Stopping);
        var up = client.CopyToAsync(target, Stopping);
        var down = target.CopyToAsync(client, Stopping);
        await Task.WhenAny(up, down);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await ServeAsync(client.GetStream());
                    }
                    catch (Exception)
                    {
                        // A peer that went away or a stop: the tests judge what their clients saw.
                    }
                }
            });
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }
        GC.SuppressFinalize(this);
    }
}
