using System.IO.Pipelines;
using System.Text;
using CliProxy.Gateway.Proxy.Forwarding;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// <c>streaming.keepalive-seconds</c> on an event stream: a comment for each silence of the interval, only between events,
/// the upstream's bytes unchanged around them (a pipe stands in for the upstream, a fake clock for time).
/// </summary>
[Unit]
public sealed class SseKeepAliveStreamTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(40);
    private readonly Pipe _upstream = new();
    private readonly FakeTimeProvider _time = new();
    private readonly byte[] _buffer = new byte[1024];

    private SseKeepAliveStream Stream() => new(_upstream.Reader.AsStream(), Interval, MaxSilence, _time);

    private async Task Send(string text) => await _upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task<string> Read(SseKeepAliveStream stream, Func<Task>? meanwhile = null)
    {
        var reading = stream.ReadAsync(_buffer).AsTask();
        if (meanwhile is not null) await meanwhile();
        return Encoding.UTF8.GetString(_buffer, 0, await reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_silence_before_the_first_event_and_between_events_gets_a_comment()
    {
        await using var stream = Stream();

        Assert.Equal(": keep-alive\n\n", await Read(stream, () => { _time.Advance(Interval); return Task.CompletedTask; }));
        await Send("data: 1\n\n");
        Assert.Equal("data: 1\n\n", await Read(stream));
        Assert.Equal(": keep-alive\n\n", await Read(stream, () => { _time.Advance(Interval); return Task.CompletedTask; }));
        await Send("data: 2\r\n\r\n");
        Assert.Equal("data: 2\r\n\r\n", await Read(stream));
        Assert.Equal(": keep-alive\n\n", await Read(stream, () => { _time.Advance(Interval); return Task.CompletedTask; }));
    }

    [Fact]
    public async Task Inside_an_event_a_silence_waits_for_the_rest_of_it()
    {
        await using var stream = Stream();
        await Send("data: par");
        Assert.Equal("data: par", await Read(stream));

        var reading = stream.ReadAsync(_buffer).AsTask();
        _time.Advance(Interval);
        _time.Advance(Interval);
        Assert.False(reading.IsCompleted, "a comment was sent inside an event");
        await Send("t\n\n");
        Assert.Equal("t\n\n", Encoding.UTF8.GetString(_buffer, 0, await reading.WaitAsync(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task Chunks_pass_unchanged_in_pieces_the_caller_can_take_and_the_end_is_the_upstreams()
    {
        await using var stream = Stream();
        await Send("data: {\"n\":1}\n\ndata: [DONE]\n\n");
        await _upstream.Writer.CompleteAsync();

        var small = new byte[10];
        var read = new StringBuilder();
        int n;
        while ((n = await stream.ReadAsync(small)) > 0) read.Append(Encoding.UTF8.GetString(small, 0, n));

        Assert.Equal("data: {\"n\":1}\n\ndata: [DONE]\n\n", read.ToString());
    }

    [Fact]
    public async Task A_cancelled_read_sends_no_comment()
    {
        await using var stream = Stream();
        using var cancel = new CancellationTokenSource();
        var reading = stream.ReadAsync(_buffer, cancel.Token).AsTask();

        await cancel.CancelAsync();
        _time.Advance(Interval);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Regression (review): every comment is a read to the forwarder, which restarts its activity timer, so an upstream
    /// that went silent for good was kept open with comments forever. The stream now ends such a silence itself.
    /// </summary>
    [Fact]
    public async Task An_upstream_silent_for_the_activity_timeout_fails_the_read_comments_or_not()
    {
        await using var stream = Stream();
        await Send("data: 1\n\n");
        Assert.Equal("data: 1\n\n", await Read(stream));

        Assert.Equal(": keep-alive\n\n", await Read(stream, () => { _time.Advance(Interval); return Task.CompletedTask; }));
        Assert.Equal(": keep-alive\n\n", await Read(stream, () => { _time.Advance(Interval); return Task.CompletedTask; }));
        var last = stream.ReadAsync(_buffer).AsTask();
        _time.Advance(MaxSilence - Interval - Interval); // 40 s after the upstream's last byte, before the next comment is due

        Assert.Same(last, await Task.WhenAny(last, Task.Delay(TimeSpan.FromSeconds(10))));
        var silent = await Assert.ThrowsAsync<TimeoutException>(() => last);
        Assert.Equal("the upstream sent nothing for 40 s", silent.Message);
    }
}
