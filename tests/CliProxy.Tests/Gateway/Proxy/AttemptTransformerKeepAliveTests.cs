using System.Net;
using System.Text;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Proxy.Usage;
using CliProxy.Gateway.Proxy.Forwarding;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// Which answers of an attempt get keep-alive comments (<see cref="SseKeepAliveStream"/>): an open-ended event stream
/// only — not one with a declared length (the comments would overrun it and cut the client's answer), not JSON — and
/// which intervals apply.
/// </summary>
[Unit]
public sealed class AttemptTransformerKeepAliveTests
{
    private static async Task<Stream> ClientStreamOf(string mediaType, long? length, TimeSpan keepAlive)
    {
        var upstream = new UpstreamRequest(new Uri("http://127.0.0.1:9/v1/chat/completions"), [], Encoding.UTF8.GetBytes("{}"));
        var observer = new ScanningStream.Observer(new OpenAIUsageScanner(), TimeProvider.System, TimeProvider.System.GetTimestamp());
        var transformer = new AttemptTransformer(upstream, observer, passthroughHeaders: false, keepAlive, TimeProvider.System);
        var content = new ByteArrayContent("data: 1\n\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        content.Headers.ContentLength = length;
        using var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };

        Assert.True(await transformer.TransformResponseAsync(new DefaultHttpContext(), answer, CancellationToken.None));
        return await answer.Content.ReadAsStreamAsync();
    }

    [Theory]
    [InlineData("text/event-stream", null, 15, true)]
    [InlineData("text/event-stream", 9L, 15, false)]
    [InlineData("text/event-stream", null, 0, false)]
    [InlineData("application/json", null, 15, false)]
    public async Task Only_an_open_ended_event_stream_gets_comments(string mediaType, long? length, int keepAliveSeconds, bool kept)
    {
        await using var stream = await ClientStreamOf(mediaType, length, TimeSpan.FromSeconds(keepAliveSeconds));
        Assert.Equal(kept, stream is SseKeepAliveStream);
    }

    [Theory]
    [InlineData(true, 15, 15)]
    [InlineData(false, 15, 0)] // a whole answer
    [InlineData(true, 0, 0)]
    [InlineData(true, 599, 599)]
    [InlineData(true, 600, 0)] // the activity timeout would always come first
    [InlineData(true, 5_000_000, 0)] // "never": Task.Delay would refuse it
    public void The_interval_applies_to_streams_below_the_activity_timeout(bool stream, int configuredSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), AttemptRunner.KeepAliveOf(stream, TimeSpan.FromSeconds(configuredSeconds)));
}
