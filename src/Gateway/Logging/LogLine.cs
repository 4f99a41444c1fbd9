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

    /// <summary>
    /// The entry as UTF-8, ending in a line feed, in one array sized exactly (an entry is made for every request: the
    /// access line): <paramref name="stamp"/> from <see cref="Stamp"/>, <paramref name="category"/> already
    /// shortened (<see cref="ShortCategory"/>).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> stamp, string? requestId, LogLevel level, string category, ReadOnlySpan<char> message, Exception? exception)
    {
        var id = requestId ?? NoRequestId;
        var text = message.TrimEnd("\r\n");
        var error = exception is null ? default : exception.ToString().AsSpan().TrimEnd("\r\n");
        var utf8 = Encoding.UTF8;
        // "[" stamp "] [" id "] [" level "] [" category "] " message ("\n" exception) "\n"
        var length = 1 + stamp.Length + 3 + utf8.GetByteCount(id) + 3 + 5 + 3 + utf8.GetByteCount(category) + 2 + utf8.GetByteCount(text)
            + (exception is null ? 0 : 1 + utf8.GetByteCount(error)) + 1;
        var bytes = new byte[length];
        var at = 0;
        void Put(ReadOnlySpan<byte> part)
        {
            part.CopyTo(bytes.AsSpan(at));
            at += part.Length;
        }
        void Text(ReadOnlySpan<char> part) => at += utf8.GetBytes(part, bytes.AsSpan(at));
        Put("["u8);
        Put(stamp);
        Put("] ["u8);
        Text(id);
        Put("] ["u8);
        Text(LevelName(level));
        Put("] ["u8);
        Text(category);
        Put("] "u8);
        Text(text);
        if (exception is not null)
        {
            Put("\n"u8);
            Text(error);
        }
        Put("\n"u8);
        System.Diagnostics.Debug.Assert(at == length);
        return bytes;
    }

    /// <summary>The time stamp column of an entry made at <paramref name="localTime"/>: <c>yyyy-MM-dd HH:mm:ss</c> as ASCII.</summary>
    public static byte[] Stamp(DateTimeOffset localTime) =>
        Encoding.ASCII.GetBytes(localTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));

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

    /// <summary>The category column: the last dotted part of a logger's category.</summary>
    public static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot >= 0 && dot < category.Length - 1 ? category[(dot + 1)..] : category;
    }
}
