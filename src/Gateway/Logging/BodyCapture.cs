namespace CliProxy.Gateway.Logging;

/// <summary>
/// The first <see cref="Limit"/> bytes of a request or response body, kept for its request log while
/// the body streams on untouched; what did not fit is counted, and the log says so (the reference
/// dropped streamed chunks silently, spec §7 defect 16).
/// </summary>
public sealed class BodyCapture(int limit)
{
    /// <summary>Bytes kept of each body: 4 MiB.</summary>
    public const int DefaultLimit = 4 * 1024 * 1024;

    private readonly MemoryStream _kept = new();

    /// <summary>The most bytes kept.</summary>
    public int Limit { get; } = limit;

    /// <summary>Bytes seen in all.</summary>
    public long Total { get; private set; }

    /// <summary>Bytes seen but not kept.</summary>
    public long Dropped => Total - _kept.Length;

    /// <summary>The bytes kept.</summary>
    public ReadOnlySpan<byte> Kept => _kept.GetBuffer().AsSpan(0, (int)_kept.Length);

    /// <summary>Records bytes that passed.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        Total += bytes.Length;
        var room = Limit - (int)_kept.Length;
        if (room > 0) _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
    }
}

/// <summary>
/// A stream that passes everything to <paramref name="inner"/> and shows it to a <see cref="BodyCapture"/>:
/// what is read (a request body) or written (a response body), the latter only while
/// <paramref name="capturing"/> says so (error-only logs keep a response body only once its status is an error).
/// </summary>
internal sealed class CaptureStream(Stream inner, BodyCapture capture, Func<bool>? capturing = null) : Stream
{
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
        capture.Add(buffer.AsSpan(offset, n));
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        capture.Add(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Observe(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (capturing is null || capturing()) capture.Add(bytes);
    }
}
