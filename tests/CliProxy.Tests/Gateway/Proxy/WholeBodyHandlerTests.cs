using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Proxy.Usage;
using CliProxy.Gateway.Proxy.Forwarding;
using CliProxy.Tests.Support.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// An attempt's request leaves in one socket write: YARP's request content flushes the headers before it copies the
/// body, so the attempt's whole body is put in its place at send time (<see cref="WholeBodyHandler"/>).
/// </summary>
[Unit]
public sealed class WholeBodyHandlerTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider();
    private EchoUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await EchoUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static readonly byte[] Body = """{"model":"m","messages":[{"role":"user","content":"ping"}]}"""u8.ToArray();

    [Fact]
    public async Task Headers_and_a_small_body_leave_in_one_write_and_arrive_whole()
    {
        var (error, transformer, writes, answer) = await ForwardAsync(sockets => new WholeBodyHandler(sockets));

        Assert.Equal(ForwarderError.None, error);
        Assert.Null(transformer.Failure);
        var write = Assert.Single(writes); // the request head and the body together
        Assert.True(write > Body.Length, $"one write of {write} bytes for a body of {Body.Length}");
        var echo = JsonNode.Parse(answer)!;
        Assert.Equal(Encoding.UTF8.GetString(Body), (string?)echo["body"]);
        Assert.Equal("Bearer sk-up", (string?)echo["headers"]!["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", (string?)echo["headers"]!["Content-Type"]);
        Assert.Equal(Body.Length.ToString(), (string?)echo["headers"]!["Content-Length"]);
    }

    [Fact]
    public async Task Without_the_swap_the_attempt_fails_instead_of_sending_an_empty_body()
    {
        // YARP's own content is made from the stand-in body; read, it would send an empty chunked body the upstream answers.
        var (error, _, _, answer) = await ForwardAsync(sockets => sockets);

        Assert.NotEqual(ForwarderError.None, error);
        Assert.DoesNotContain("\"body\"", answer); // no upstream answer reached the client
    }

    /// <summary>
    /// Forwards the attempt's request as the attempt runner does (the client's body already read: YARP gets the
    /// <see cref="SwappedBody"/> stand-in and the declared length) through <paramref name="handler"/> over a socket
    /// whose writes are counted.
    /// </summary>
    private async Task<(ForwarderError Error, AttemptTransformer Transformer, ConcurrentQueue<int> Writes, string Answer)> ForwardAsync(
        Func<SocketsHttpHandler, HttpMessageHandler> handler)
    {
        var writes = new ConcurrentQueue<int>();
        var sockets = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new WriteCountingStream(new NetworkStream(socket, ownsSocket: true), writes);
            },
        };
        using var invoker = new HttpMessageInvoker(handler(sockets));
        var upstream = new UpstreamRequest(new Uri(_upstream.Url + "/echo/v1/chat/completions"),
            [new("Authorization", "Bearer sk-up"), new("Content-Type", "application/json; charset=utf-8")], Body);
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Request.Method = "POST";
        http.Request.Body = new SwappedBody();
        http.Request.ContentLength = Body.Length;
        var answer = new MemoryStream();
        http.Response.Body = answer;
        var transformer = new AttemptTransformer(upstream, new ScanningStream.Observer(new OpenAIUsageScanner(), TimeProvider.System, TimeProvider.System.GetTimestamp()), passthroughHeaders: false, keepAlive: TimeSpan.Zero, TimeProvider.System);
        var error = await _services.GetRequiredService<IHttpForwarder>().SendAsync(http, _upstream.Url, invoker, ForwarderRequestConfig.Empty, transformer);
        return (error, transformer, writes, Encoding.UTF8.GetString(answer.ToArray()));
    }

    private sealed class WriteCountingStream(Stream inner, ConcurrentQueue<int> writes) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            writes.Enqueue(count);
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            writes.Enqueue(buffer.Length);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
