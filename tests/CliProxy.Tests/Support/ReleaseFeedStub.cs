using System.Net;
using System.Text;

namespace CliProxy.Tests.Support;

/// <summary>A minimal HTTP/1.1 server for <c>/latest-version</c>: answers every request with the configured reply and records it.</summary>
public sealed class ReleaseFeedStub : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    public ReleaseFeedStub()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Port.</summary>
    public int Port { get; }

    /// <summary>Status and body of the next answers; status 0 = close the connection without answering.</summary>
    public (int Status, string Body) Reply { get; set; } = (200, """{"tag_name":"v0.0.1"}""");

    /// <summary>Request heads received (request line first, then header lines).</summary>
    public List<string[]> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(System.Net.Sockets.TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(buffer) == 0) return;
                head.Append((char)buffer[0]);
            }
            lock (Requests) Requests.Add(head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
            var (status, body) = Reply;
            if (status == 0) return;
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.WriteAsync(bytes);
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
    }
}
