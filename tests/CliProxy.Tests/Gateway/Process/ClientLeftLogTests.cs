using System.Net.Sockets;
using System.Text;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Over real sockets: a proxy call whose request ends before it is answered is logged with who ended it, not as the
/// server's 500 — a client that closes its connection halfway through the body it announced is nginx's 499 (a warning,
/// no error request log, 499 in the proxy's request counter), a body the server cannot parse is the 400 the server answers.
/// </summary>
[Process]
public sealed class ClientLeftLogTests
{
    private const string ClientKey = "sk-team-alpha-0001"; // full.yaml's first client key

    [Fact]
    public async Task Requests_that_end_before_their_answer_are_logged_with_who_ended_them()
    {
        var yaml = Mgmt.FullYaml.Replace("logging-to-file: false", "logging-to-file: true");
        await using var g = await Mgmt.StartProcessAsync(yaml);
        var run = Guid.NewGuid().ToString("N")[..8];

        // 69 bytes announced, 9 sent, then the client's side closed: the body read meets the end of the connection.
        using (var left = await ConnectAsync(g))
        {
            await left.SendAsync(Request($"/v1/chat/completions?probe=left-{run}", "Content-Length: 69", "{\"model\":"));
            left.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await left.ReceiveAsync(new byte[1024])); // nothing answered; the server closes too
        }
        // A chunk size that is not hexadecimal: the server answers 400 while the client waits.
        using (var malformed = await ConnectAsync(g))
        {
            await malformed.SendAsync(Request($"/v1/chat/completions?probe=bad-{run}", "Transfer-Encoding: chunked", "zz\r\n{}"));
            var buffer = new byte[4096];
            var answer = Encoding.ASCII.GetString(buffer, 0, await malformed.ReceiveAsync(buffer));
            Assert.StartsWith("HTTP/1.1 400", answer);
        }

        var lines = await g.MainLogLinesWith($"probe=left-{run}", $"probe=bad-{run}");
        var leftLine = Assert.Single(lines, l => l.Contains($"probe=left-{run}"));
        Assert.Contains("[warn ]", leftLine);
        Assert.Contains(" 499 |", leftLine);
        var badLine = Assert.Single(lines, l => l.Contains($"probe=bad-{run}"));
        Assert.Contains(" 400 |", badLine);
        // The proxy's request counter has the client's leaving as 499 (no model was read).
        var metrics = await g.Raw("GET", "/metrics", headers: [("Authorization", "Bearer " + Mgmt.Key)]);
        Assert.Contains(metrics.Body.Split('\n'), l => l.StartsWith("cliproxy_proxy_requests_total{", StringComparison.Ordinal) && l.Contains("status=\"499\""));
        // The server's 400 keeps its error request log; the client's leaving writes none.
        var errorLogs = Directory.GetFiles(Path.Combine(g.Directory, "logs"), "error-*.log").Select(File.ReadAllText).ToList();
        Assert.Single(errorLogs, text => text.Contains($"probe=bad-{run}"));
        Assert.DoesNotContain(errorLogs, text => text.Contains($"probe=left-{run}"));
    }

    private static async Task<Socket> ConnectAsync(TestGateway g)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, g.Port);
        return socket;
    }

    private static byte[] Request(string target, string framing, string body) => Encoding.ASCII.GetBytes(
        $"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ClientKey}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n{body}");
}
