namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// What YARP is given as the client's request body during an attempt: the client's body was read already, and the
/// attempt's own body goes out as the content <see cref="WholeBodyHandler"/> swaps in, so YARP's request content (made
/// from this stream and the declared length) must never be read. Reading it fails, and the attempt with it — were the
/// swap ever missing, the upstream would otherwise get an empty chunked body and answer it as a request.
/// </summary>
internal sealed class SwappedBody : Stream
{
    /// <summary>The message of the failed read.</summary>
    public const string Message = "the attempt's body is sent by WholeBodyHandler; YARP's request content must not be read";

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException(Message);
    public override int Read(Span<byte> buffer) => throw new InvalidOperationException(Message);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException(Message);
    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
