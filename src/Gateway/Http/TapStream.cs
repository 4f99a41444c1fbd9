namespace CliProxy.Gateway.Http;

/// <summary>
/// A pass-through stream that shows every chunk read from, or written to, the stream it wraps to <see cref="Saw"/>
/// before (writes) or after (reads) it passes; nothing is buffered or copied. <paramref name="ownsInner"/>: disposing this
/// stream disposes the inner one (an upstream answer's stream) or leaves it to its owner (the server's request and
/// response bodies). Used by the request log's body capture and the proxy's usage scanning.
/// </summary>
internal abstract class TapStream(Stream inner, bool ownsInner) : Stream
{
    /// <summary>Sees one chunk: <paramref name="written"/> for a write, otherwise a read.</summary>
    protected abstract void Saw(ReadOnlySpan<byte> chunk, bool written);

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Saw(buffer.AsSpan(offset, n), written: false);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Saw(buffer.Span[..n], written: false);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Saw(buffer.AsSpan(offset, count), written: true);
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Saw(buffer.Span, written: true);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (ownsInner) await inner.DisposeAsync(); // not base.DisposeAsync: it would dispose the inner stream a second time
        GC.SuppressFinalize(this);
    }
}
