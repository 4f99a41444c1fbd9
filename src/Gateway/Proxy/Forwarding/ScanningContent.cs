using System.Net;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// An upstream answer's body as the forwarder reads it, with each chunk shown to the attempt's
/// <see cref="IUsageScanner"/> as it passes (the scanner reads the forwarder's own buffer: the bytes are copied once, to
/// the client) and the first byte's time noted. Never buffers.
/// </summary>
internal sealed class ScanningContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly ScanningStream.Observer _observer;
    private readonly TimeSpan _keepAlive;
    private readonly TimeProvider _time;

    /// <param name="inner">The upstream's content.</param>
    /// <param name="observer">Sees every chunk.</param>
    /// <param name="keepAlive">Silence after which an SSE comment goes to the client (<see cref="SseKeepAliveStream"/>, ending a
    /// silence of <see cref="AttemptRunner.ActivityTimeout"/>); zero: none.</param>
    /// <param name="time">The clock of <paramref name="keepAlive"/>.</param>
    public ScanningContent(HttpContent inner, ScanningStream.Observer observer, TimeSpan keepAlive, TimeProvider time)
    {
        _inner = inner;
        _observer = observer;
        _keepAlive = keepAlive;
        _time = time;
        // The values as received (no parsing, no enumerator objects): this content is only passed on.
        foreach (var (name, values) in inner.Headers.NonValidated)
            foreach (var value in values) Headers.TryAddWithoutValidation(name, value);
    }

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        // The connection's content has its stream at hand: no state machine for the usual case.
        var inner = _inner.ReadAsStreamAsync(cancellationToken);
        return inner.IsCompletedSuccessfully ? Task.FromResult(Wrap(inner.Result)) : WrapAsync(inner);
    }

    private async Task<Stream> WrapAsync(Task<Stream> inner) => Wrap(await inner);

    private Stream Wrap(Stream upstream)
    {
        var scanning = new ScanningStream(upstream, _observer);
        return _keepAlive > TimeSpan.Zero ? new SseKeepAliveStream(scanning, _keepAlive, AttemptRunner.ActivityTimeout, _time) : scanning;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A pass-through stream over an upstream answer's body (owned) that shows every chunk read to an <see cref="Observer"/>.</summary>
internal sealed class ScanningStream(Stream inner, ScanningStream.Observer observer) : Http.TapStream(inner, ownsInner: true)
{
    /// <summary>Sees the chunks of one answer.</summary>
    /// <param name="scanner">The attempt's usage scanner.</param>
    /// <param name="time">The clock of <paramref name="started"/>.</param>
    /// <param name="started">When the attempt was sent (<see cref="TimeProvider.GetTimestamp"/>).</param>
    internal sealed class Observer(IUsageScanner scanner, TimeProvider time, long started)
    {
        private bool _scanning = true;

        /// <summary>Bytes read so far.</summary>
        public long Bytes { get; private set; }

        /// <summary>Time from sending the attempt to the answer's first byte (null until a byte came).</summary>
        public TimeSpan? FirstByte { get; private set; }

        /// <summary>The attempt's record in the request log, or null while <c>request-log</c> is off.</summary>
        public Logging.UpstreamAttemptLog? Log { get; init; }

        /// <summary>The scanner's tokens (null when none, or when the scanner failed).</summary>
        public Domain.Usage.UsageTokens? Tokens => _scanning ? scanner.Tokens : null;

        public void Saw(ReadOnlySpan<byte> chunk)
        {
            if (chunk.IsEmpty) return;
            FirstByte ??= time.GetElapsedTime(started);
            Bytes += chunk.Length;
            Log?.Saw(chunk);
            if (!_scanning) return;
            try
            {
                scanner.Feed(chunk);
            }
            catch (Exception)
            {
                // Counting usage must never break an answer that is being passed through: this attempt records no tokens.
                _scanning = false;
            }
        }
    }

    protected override void Saw(ReadOnlySpan<byte> chunk, bool written)
    {
        if (!written) observer.Saw(chunk);
    }
}
