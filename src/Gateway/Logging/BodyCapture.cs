namespace CliProxy.Gateway.Logging;

/// <summary>
/// The first <see cref="Limit"/> bytes of a request or response body, kept for its request log while
/// the body streams on untouched; what did not fit is counted, and the log says so (the reference
/// dropped streamed chunks silently, spec §7 defect 16).
/// </summary>
/// <param name="limit">The most bytes kept.</param>
/// <param name="expected">The body's declared length, when known: the first bytes go into a buffer of that size (a small
/// request body is kept in one exact array instead of a growing one).</param>
public sealed class BodyCapture(int limit, long? expected = null)
{
    /// <summary>Bytes kept of each body: 4 MiB.</summary>
    public const int DefaultLimit = 4 * 1024 * 1024;

    private MemoryStream? _kept; // made on the first byte: the answer of a request that succeeds is not kept while request-log is off

    /// <summary>The most bytes kept.</summary>
    public int Limit { get; } = limit;

    /// <summary>Bytes seen in all.</summary>
    public long Total { get; private set; }

    /// <summary>Bytes seen but not kept.</summary>
    public long Dropped => Total - (_kept?.Length ?? 0);

    /// <summary>The bytes kept.</summary>
    public ReadOnlySpan<byte> Kept => _kept is null ? [] : _kept.GetBuffer().AsSpan(0, (int)_kept.Length);

    /// <summary>Records bytes that passed.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        Total += bytes.Length;
        _kept ??= expected is > 0 ? new MemoryStream((int)Math.Min(expected.Value, Limit)) : new MemoryStream();
        var room = Limit - (int)_kept.Length;
        if (room > 0) _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
    }
}

/// <summary>
/// A stream that passes everything to <paramref name="inner"/> (not owned) and shows it to a <see cref="BodyCapture"/>:
/// what is read (a request body) or written (a response body), the latter, when <paramref name="errorsOf"/> is given,
/// only while that response's status is 400 or above (error-only logs keep a response body only once it is an error).
/// </summary>
internal sealed class CaptureStream(Stream inner, BodyCapture capture, HttpResponse? errorsOf = null) : Http.TapStream(inner, ownsInner: false)
{
    protected override void Saw(ReadOnlySpan<byte> chunk, bool written)
    {
        if (!written || errorsOf is null || errorsOf.StatusCode >= 400) capture.Add(chunk);
    }
}
