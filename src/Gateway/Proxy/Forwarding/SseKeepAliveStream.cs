namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// An event-stream answer's body that gives the client an SSE comment (<c>: keep-alive</c> and a blank line) whenever the
/// upstream has been silent for <c>streaming.keepalive-seconds</c>, so idle timeouts of proxies and load balancers on
/// the way do not cut a long pause (a model thinking). A comment goes out only between events (after a blank line, or
/// before the first byte), never inside one; clients ignore comments. The comments would also keep the forwarder's own
/// activity timer from ever firing, so this stream ends a silence of <c>maxSilence</c> itself (a <see cref="TimeoutException"/>,
/// as the forwarder's timeout would). The upstream is read into this stream's own buffer (a read may outlive the call
/// that started it, while the caller reuses its buffer): with keep-alives on, the bytes are copied once more.
/// </summary>
/// <param name="inner">The upstream's body (owned).</param>
/// <param name="interval">Silence before a comment; less than <paramref name="maxSilence"/>.</param>
/// <param name="maxSilence">Silence of the upstream after which the read fails.</param>
/// <param name="time">The clock of both.</param>
internal sealed class SseKeepAliveStream(Stream inner, TimeSpan interval, TimeSpan maxSilence, TimeProvider time) : Stream
{
    /// <summary>What is sent during a silence.</summary>
    public static ReadOnlySpan<byte> Comment => ": keep-alive\n\n"u8;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private Task<int>? _reading;
    private int _start;
    private int _end;
    private int _lineEnds = 2; // line ends at the end of what was passed on: two or more = between events
    private long _heard = time.GetTimestamp(); // when the upstream last sent bytes (or the stream began)

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            _reading ??= inner.ReadAsync(_buffer, cancellationToken).AsTask();
            var comment = interval;
            while (!_reading.IsCompleted)
            {
                var left = maxSilence - time.GetElapsedTime(_heard);
                if (left <= TimeSpan.Zero) throw new TimeoutException($"the upstream sent nothing for {maxSilence.TotalSeconds:0} s");
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var wait = comment < left ? comment : left;
                var silence = Task.Delay(wait, time, wake.Token);
                var first = await Task.WhenAny(_reading, silence);
                wake.Cancel(); // the timer, when the upstream answered first
                cancellationToken.ThrowIfCancellationRequested();
                if (first != silence) break;
                comment -= wait;
                if (comment > TimeSpan.Zero) continue; // woke for the silence limit, checked above
                if (_lineEnds >= 2 && destination.Length >= Comment.Length)
                {
                    Comment.CopyTo(destination.Span);
                    return Comment.Length;
                }
                comment = interval;
            }
            (_start, _end, _reading) = (0, await _reading, null);
            _heard = time.GetTimestamp();
            if (_end == 0) return 0;
        }
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination.Span);
        _start += n;
        foreach (var b in destination.Span[..n])
            _lineEnds = b == '\n' ? _lineEnds + 1 : b == '\r' ? _lineEnds : 0;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            ObserveAbandonedRead();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        ObserveAbandonedRead();
        GC.SuppressFinalize(this);
    }

    /// <summary>A read still pending when the client left fails with the disposed upstream: nobody awaits it any more.</summary>
    private void ObserveAbandonedRead() =>
        _reading?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
