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
        string.Create(CultureInfo.InvariantCulture,
            $"{status,3} | {Latency(latency),13} | {client,15} | {method,-7} \"{SecretMask.PathAndQuery(path, query)}\"");

    /// <summary>The event id of access entries.</summary>
    public static readonly EventId EventId = new(1, "AccessLine");

    /// <summary>
    /// The logging state of an access entry: its message is the line itself (no copy); structured loggers see it as
    /// <c>AccessLine</c>, with the template <c>{AccessLine}</c>.
    /// </summary>
    public readonly struct Entry(string line) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        /// <summary>The formatter: the line.</summary>
        public static readonly Func<Entry, Exception?, string> Message = static (entry, _) => entry.Line;

        /// <summary>The access line.</summary>
        public string Line => line;

        /// <inheritdoc />
        public int Count => 2;

        /// <inheritdoc />
        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("AccessLine", line),
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
        public override string ToString() => line;
    }

    /// <summary>Level of the entry: error from 500, warning from 400, information below.</summary>
    public static LogLevel LevelOf(int status) => status >= 500 ? LogLevel.Error : status >= 400 ? LogLevel.Warning : LogLevel.Information;

    /// <summary>
    /// A latency in Go's notation, truncated to milliseconds (to seconds from one minute on):
    /// <c>0s</c>, <c>512ms</c>, <c>23.559s</c>, <c>1m5s</c>, <c>1h0m2s</c>.
    /// </summary>
    public static string Latency(TimeSpan latency)
    {
        var ms = Math.Max(0, (long)latency.TotalMilliseconds);
        if (ms == 0) return "0s";
        if (ms < 1000) return $"{ms}ms";
        if (ms < 60_000)
        {
            var fraction = ms % 1000;
            return fraction == 0 ? $"{ms / 1000}s" : $"{ms / 1000}.{fraction:000}".TrimEnd('0') + "s";
        }
        var seconds = ms / 1000;
        var (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
        return h > 0 ? $"{h}h{m}m{s}s" : $"{m}m{s}s";
    }
}
