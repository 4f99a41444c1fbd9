using System.Globalization;

namespace CliProxy.Domain.Usage;

/// <summary>
/// The time of one usage record as RFC 3339 text with its own offset and up to nine fractional
/// digits (spec §1.6: Go's format, e.g. <c>2026-02-23T09:15:02.481236117+08:00</c>). The text is
/// kept as it was written, so an imported reference timestamp keeps its nanoseconds (.NET keeps
/// 100 ns ticks) and the §1.9 de-duplication key is rebuilt from it exactly (spec §6). Day and
/// hour buckets are read in the offset the text carries, for live and imported records alike
/// (see <see cref="Day"/>).
/// </summary>
public sealed class UsageTimestamp : IEquatable<UsageTimestamp>
{
    private string? _utcKey;
    private string? _text;

    private UsageTimestamp(string? text, DateTimeOffset instant, int nanoseconds)
    {
        _text = text;
        Instant = instant;
        Nanoseconds = nanoseconds;
    }

    /// <summary>
    /// The RFC 3339 text, as written (for a timestamp made by <see cref="From"/>, formatted on first use: a timestamp is
    /// taken for every upstream attempt, and the record that needs the text is written off the request path).
    /// </summary>
    public string Text => _text ??= Format(Instant.DateTime, Nanoseconds, Instant.Offset);

    /// <summary>The instant (100 ns precision) with the written offset.</summary>
    public DateTimeOffset Instant { get; }

    /// <summary>Fraction of the second as written, in nanoseconds (0–999,999,999).</summary>
    public int Nanoseconds { get; }

    /// <summary>True for Go's zero time (<c>0001-01-01T00:00:00Z</c>), which the reference treats as "no timestamp".</summary>
    public bool IsZero => Instant.UtcTicks == 0 && Nanoseconds == 0;

    /// <summary>The day bucket <c>YYYY-MM-DD</c>: the date as written, i.e. in the timestamp's own offset.</summary>
    public string Day => Text[..10];

    /// <summary>The hour bucket 0–23: the hour as written, i.e. in the timestamp's own offset.</summary>
    public int Hour => (Text[11] - '0') * 10 + (Text[12] - '0');

    /// <summary>
    /// The instant in UTC as RFC 3339 with the written fraction (trailing zeros dropped, none when
    /// zero) and <c>Z</c>: the timestamp part of the §1.9 de-duplication key.
    /// </summary>
    public string UtcKey => _utcKey ??= Format(Instant.UtcDateTime, Nanoseconds, TimeSpan.Zero);

    /// <summary>
    /// The timestamp of <paramref name="instant"/> in <paramref name="zone"/>, formatted as Go does
    /// (fraction to 100 ns, trailing zeros dropped; <c>Z</c> for a zero offset).
    /// </summary>
    public static UsageTimestamp From(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var nanos = (int)(local.Ticks % TimeSpan.TicksPerSecond) * 100;
        return new UsageTimestamp(null, local, nanos);
    }

    /// <summary>Parses RFC 3339 text (<c>T</c> separator, <c>Z</c> or <c>±hh:mm</c>, any number of fraction digits; beyond nine are cut).</summary>
    /// <returns>False when the text is not such a timestamp or names an impossible date or time.</returns>
    public static bool TryParse(string text, out UsageTimestamp timestamp)
    {
        timestamp = null!;
        var s = text.AsSpan();
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s[..4], out var year) || !Digits(s[5..7], out var month) || !Digits(s[8..10], out var day)
            || !Digits(s[11..13], out var hour) || !Digits(s[14..16], out var minute) || !Digits(s[17..19], out var second)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        var i = 19;
        var nanos = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
            var digits = s[start..Math.Min(i, start + 9)];
            nanos = int.Parse(digits, CultureInfo.InvariantCulture);
            for (var k = digits.Length; k < 9; k++) nanos *= 10;
        }
        if (i >= s.Length) return false;
        TimeSpan offset;
        if (s[i] == 'Z' && i + 1 == s.Length) offset = TimeSpan.Zero;
        else if (s[i] is '+' or '-' && s.Length - i == 6 && s[i + 3] == ':' && Digits(s.Slice(i + 1, 2), out var oh) && Digits(s.Slice(i + 4, 2), out var om) && oh < 24 && om < 60)
            offset = new TimeSpan(oh, om, 0) * (s[i] == '-' ? -1 : 1);
        else return false;
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanos / 100);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks) return false;
        timestamp = new UsageTimestamp(text, new DateTimeOffset(local, offset), nanos);
        return true;
    }

    /// <summary>Parses text known to be valid (stored or formatted by this type).</summary>
    /// <exception cref="FormatException">The text is not an RFC 3339 timestamp.</exception>
    public static UsageTimestamp Parse(string text) =>
        TryParse(text, out var t) ? t : throw new FormatException($"not an RFC 3339 timestamp: {text}");

    /// <summary>Go's RFC 3339 rendering of a wall time, nanoseconds and offset (at most 35 characters; one string, no intermediate ones).</summary>
    private static string Format(DateTime wall, int nanos, TimeSpan offset)
    {
        Span<char> text = stackalloc char[35];
        wall.TryFormat(text, out var n, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (nanos != 0)
        {
            text[n++] = '.';
            nanos.TryFormat(text[n..], out var digits, "D9", CultureInfo.InvariantCulture);
            n += digits;
            while (text[n - 1] == '0') n--; // Go drops trailing zeros; nanos != 0 keeps a digit
        }
        if (offset == TimeSpan.Zero)
        {
            text[n++] = 'Z';
            return new string(text[..n]);
        }
        var abs = offset.Duration();
        text[n++] = offset < TimeSpan.Zero ? '-' : '+';
        abs.Hours.TryFormat(text[n..], out var hours, "D2", CultureInfo.InvariantCulture);
        n += hours;
        text[n++] = ':';
        abs.Minutes.TryFormat(text[n..], out var minutes, "D2", CultureInfo.InvariantCulture);
        return new string(text[..(n + minutes)]);
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <inheritdoc />
    public bool Equals(UsageTimestamp? other) => other is not null && other.Text == Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as UsageTimestamp);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Text;
}
