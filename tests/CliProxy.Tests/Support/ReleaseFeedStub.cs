using System.Net.Sockets;
using System.Text;
using CliProxy.Tests.Support.Outbound;

namespace CliProxy.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (the release feed of <c>/latest-version</c>, or any upstream):
/// answers every request with the configured reply, closes the connection, and records the request head.
/// </summary>
public sealed class ReleaseFeedStub : LoopbackServer
{
    /// <summary>Status and body of the next answers; status 0 = close the connection without answering.</summary>
    public (int Status, string Body) Reply { get; set; } = (200, """{"tag_name":"v0.0.1"}""");

    /// <summary>Request heads received (request line first, then header lines).</summary>
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
        if (await ReadHeadAsync(stream, Stopping) is not { } head) return;
        lock (Requests) Requests.Add(head);
        var (status, body) = Reply;
        if (status == 0) return;
        var bytes = Encoding.UTF8.GetBytes(body);
        var response = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), Stopping);
        await stream.WriteAsync(bytes, Stopping);
    }
}
