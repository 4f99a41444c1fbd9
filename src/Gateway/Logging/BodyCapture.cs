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
        _kept ??= new MemoryStream();
        var room = Limit - (int)_kept.Length;
        if (room > 0) _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
    }
}

/// <summary>
/// A stream that passes everything to <paramref name="inner"/> (not owned) and shows it to a <see cref="BodyCapture"/>:
/// what is read (a request body) or written (a response body), the latter only while
/// <paramref name="capturing"/> says so (error-only logs keep a response body only once its status is an error).
/// </summary>
internal sealed class CaptureStream(Stream inner, BodyCapture capture, Func<bool>? capturing = null) : Http.TapStream(inner, ownsInner: false)
{
    protected override void Saw(ReadOnlySpan<byte> chunk, bool written)
    {
        if (!written || capturing is null || capturing()) capture.Add(chunk);
    }
}
