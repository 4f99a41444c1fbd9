using System.Buffers;
using System.Globalization;
using CliProxy.Domain.Logging;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The access-log entry of one request (spec §2.2):
/// <c>200 |        4.812s |       127.0.0.1 | POST    "/v1/chat/completions?key=sk-a...9xyz"</c> —
/// status, latency right-aligned in 13, client address right-aligned in 15, method left-aligned in 7,
/// path with the secret query values masked (§2.6).
/// </summary>
public static class AccessLine
{
    /// <summary>The entry's message.</summary>
    public static string Format(int status, TimeSpan latency, string client, string method, string path, string query) =>
        new Entry(status, latency, client, method, SecretMask.PathAndQuery(path, query)).Line;

    /// <summary>The event id of access entries.</summary>
    public static readonly EventId EventId = new(1, "AccessLine");

    /// <summary>
    /// The logging state of an access entry: its parts, written as the line where it is needed — straight into
    /// <c>main.log</c>'s UTF-8 (<see cref="TryFormat"/>), as a string for other loggers (<see cref="Line"/>). Structured
    /// loggers see it as <c>AccessLine</c>, with the template <c>{AccessLine}</c>.
    /// </summary>
    /// <param name="Status">The answer's status.</param>
    /// <param name="Latency">Time from the request's arrival to the end of its answer.</param>
    /// <param name="Client">The client's address.</param>
    /// <param name="Method">The request's method.</param>
    /// <param name="PathAndQuery">The path, and the query with its secret values masked (<see cref="SecretMask.PathAndQuery"/>).</param>
    public readonly record struct Entry(int Status, TimeSpan Latency, string Client, string Method, string PathAndQuery) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        /// <summary>The formatter: the line.</summary>
        public static readonly Func<Entry, Exception?, string> Message = static (entry, _) => entry.Line;

        /// <summary>Writes the line into <paramref name="destination"/>; false when it does not fit.</summary>
        public bool TryFormat(Span<char> destination, out int written) =>
            destination.TryWrite(CultureInfo.InvariantCulture,
                $"{Status,3} | {new GoDuration(Latency),13} | {Client,15} | {Method,-7} \"{PathAndQuery}\"", out written);

        /// <summary>The access line.</summary>
        public string Line
        {
            get
            {
                for (var size = 256; ; size *= 4)
                {
                    var buffer = ArrayPool<char>.Shared.Rent(size);
                    try
                    {
                        if (TryFormat(buffer, out var written)) return new string(buffer, 0, written);
                    }
                    finally
                    {
                        ArrayPool<char>.Shared.Return(buffer);
                    }
                }
            }
        }

        /// <inheritdoc />
        public int Count => 2;

        /// <inheritdoc />
        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("AccessLine", Line),
            1 => new("{OriginalFormat}", "{AccessLine}"),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        public override string ToString() => Line;
    }

    /// <summary>Level of the entry: error from 500, warning from 400, information below.</summary>
    public static LogLevel LevelOf(int status) => status >= 500 ? LogLevel.Error : status >= 400 ? LogLevel.Warning : LogLevel.Information;

    /// <summary>
    /// A latency in Go's notation, truncated to milliseconds (to seconds from one minute on):
    /// <c>0s</c>, <c>512ms</c>, <c>23.559s</c>, <c>1m5s</c>, <c>1h0m2s</c>.
    /// </summary>
    public static string Latency(TimeSpan latency) => new GoDuration(latency).ToString();

    /// <summary>A latency written in Go's notation (<see cref="Latency"/>) without an intermediate string.</summary>
    private readonly struct GoDuration(TimeSpan latency) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int written, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            var culture = CultureInfo.InvariantCulture;
            var ms = Math.Max(0, (long)latency.TotalMilliseconds);
            if (ms == 0) return destination.TryWrite(culture, $"0s", out written);
            if (ms < 1000) return destination.TryWrite(culture, $"{ms}ms", out written);
            if (ms < 60_000)
            {
                var (seconds, fraction) = (ms / 1000, (int)(ms % 1000));
                if (fraction == 0) return destination.TryWrite(culture, $"{seconds}s", out written);
                // Trailing zeros dropped: 23.5s, 23.05s, 23.559s.
                return fraction % 100 == 0 ? destination.TryWrite(culture, $"{seconds}.{fraction / 100:D1}s", out written)
                    : fraction % 10 == 0 ? destination.TryWrite(culture, $"{seconds}.{fraction / 10:D2}s", out written)
                    : destination.TryWrite(culture, $"{seconds}.{fraction:D3}s", out written);
            }
            var all = ms / 1000;
            var (h, m, s) = (all / 3600, all % 3600 / 60, all % 60);
            return h > 0 ? destination.TryWrite(culture, $"{h}h{m}m{s}s", out written) : destination.TryWrite(culture, $"{m}m{s}s", out written);
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public override string ToString()
        {
            Span<char> buffer = stackalloc char[32];
            return TryFormat(buffer, out var written, default, null) ? new string(buffer[..written]) : latency.ToString();
        }
    }
}
