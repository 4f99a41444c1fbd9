using System.Globalization;
using System.Text;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// One entry of the application log (spec §2.2):
/// <c>[2026-02-24 10:20:03] [9f3c2a1b] [info ] [Category] message</c> — local time without fraction,
/// the request id or eight <c>-</c>, the level padded to 5, the logger's category (its last dotted
/// part; the reference printed <c>file:line</c> there) and the message. An exception follows on
/// continuation lines, which carry no time stamp. <c>GET /logs</c> relies on the leading time stamp.
/// </summary>
public static class LogLine
{
    /// <summary>The request id column of an entry made outside any request.</summary>
    public const string NoRequestId = "--------";

    /// <summary>Length of the time stamp <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    private const int StampLength = 19;

    /// <summary>The entry's text, ending in a line feed.</summary>
    public static string Format(DateTimeOffset localTime, string? requestId, LogLevel level, string category, string message, Exception? exception)
    {
        var text = new StringBuilder(64 + message.Length);
        text.Append('[').Append(localTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append("] [")
            .Append(requestId ?? NoRequestId).Append("] [").Append(LevelName(level)).Append("] [")
            .Append(ShortCategory(category)).Append("] ").Append(message.TrimEnd('\r', '\n'));
        if (exception is not null) text.Append('\n').Append(exception.ToString().TrimEnd('\r', '\n'));
        return text.Append('\n').ToString();
    }

    /// <summary>The reference's level names, padded to 5: <c>trace</c>, <c>debug</c>, <c>info </c>, <c>warn </c>, <c>error</c>, <c>fatal</c>.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info ",
        LogLevel.Warning => "warn ",
        LogLevel.Error => "error",
        _ => "fatal",
    };

    /// <summary>
    /// The time stamp of a line as Unix seconds (its first 19 characters after an optional <c>[</c>, read
    /// as local time of <paramref name="zone"/>), or null for a continuation line.
    /// </summary>
    public static long? Timestamp(ReadOnlySpan<char> line, TimeZoneInfo zone)
    {
        if (line.StartsWith("[")) line = line[1..];
        if (line.Length < StampLength) return null;
        if (!DateTime.TryParseExact(line[..StampLength], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        var offset = zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeSeconds();
    }

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot >= 0 && dot < category.Length - 1 ? category[(dot + 1)..] : category;
    }
}
