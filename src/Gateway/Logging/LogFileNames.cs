using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// Names of the files in the log directory (spec §2.2, §2.4): the active application log
/// <c>main.log</c>, its rotated copies <c>main-&lt;UTC 2006-01-02T15-04-05.000&gt;.log</c> (and the
/// reference's legacy <c>main.log.&lt;N&gt;</c> and <c>main-&lt;ts&gt;.log.gz</c>, recognised when reading or
/// deleting), request logs <c>&lt;path&gt;-&lt;local 2006-01-02T150405&gt;-&lt;id&gt;.log</c> and error logs
/// <c>error-&lt;same&gt;.log</c>.
/// </summary>
public static partial class LogFileNames
{
    /// <summary>The active application log.</summary>
    public const string Main = "main.log";

    /// <summary>Prefix of error-only request logs.</summary>
    public const string ErrorPrefix = "error-";

    private const string RotatedFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";

    /// <summary>
    /// The name of the application log rotated at <paramref name="utc"/>. The time is UTC as in the
    /// reference, and the name says so to nobody: readers order rotated files by this time read as UTC
    /// (the reference read it as local time, spec §7 defect 12).
    /// </summary>
    public static string Rotated(DateTimeOffset utc) => "main-" + utc.UtcDateTime.ToString(RotatedFormat, CultureInfo.InvariantCulture) + ".log";

    /// <summary>
    /// Whether <paramref name="name"/> is a rotated application log, and when it was rotated (UTC; null for
    /// the legacy <c>main.log.&lt;N&gt;</c>, whose order is its modification time). <paramref name="compressed"/>
    /// is true for <c>.log.gz</c> (the reference read those as text, defect 11; they are skipped when reading).
    /// </summary>
    public static bool IsRotated(string name, out DateTimeOffset? rotatedAt, out bool compressed)
    {
        rotatedAt = null;
        compressed = false;
        if (LegacyNumbered().IsMatch(name)) return true;
        var match = RotatedName().Match(name);
        if (!match.Success) return false;
        compressed = match.Groups[2].Success;
        if (DateTime.TryParseExact(match.Groups[1].Value, RotatedFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            rotatedAt = new DateTimeOffset(at, TimeSpan.Zero);
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is an error-only request log (<c>error-*.log</c>).</summary>
    public static bool IsErrorLog(string name) =>
        name.StartsWith(ErrorPrefix, StringComparison.Ordinal) && name.EndsWith(".log", StringComparison.Ordinal);

    /// <summary>Whether the size cap counts <paramref name="name"/>: <c>*.log</c> or <c>*.log.gz</c>, any case.</summary>
    public static bool CountsForSizeCap(string name) =>
        name.EndsWith(".log", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".log.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The request log's name: <paramref name="path"/> sanitised (no leading <c>/</c>; <c>/ : &lt; &gt; " | ? *</c>
    /// and white space → <c>-</c>, runs collapsed, ends trimmed, empty → <c>root</c>), the local time
    /// <paramref name="at"/> as <c>2006-01-02T150405</c>, the request id; <c>error-</c> first for error-only logs.
    /// </summary>
    public static string RequestLog(string path, DateTimeOffset at, string requestId, bool errorOnly)
    {
        var sanitized = new StringBuilder(path.Length);
        foreach (var c in path.TrimStart('/'))
        {
            var dash = c is '/' or ':' or '<' or '>' or '"' or '|' or '?' or '*' || char.IsWhiteSpace(c) || c == '-';
            if (!dash) sanitized.Append(c);
            else if (sanitized.Length == 0 || sanitized[^1] != '-') sanitized.Append('-');
        }
        var name = sanitized.ToString().Trim('-');
        if (name.Length == 0) name = "root";
        var stamp = at.ToString("yyyy-MM-dd'T'HHmmss", CultureInfo.InvariantCulture);
        return $"{(errorOnly ? ErrorPrefix : "")}{name}-{stamp}-{requestId}.log";
    }

    [GeneratedRegex(@"^main-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3})(?:-\d+)?\.log(\.gz)?$")]
    private static partial Regex RotatedName();

    [GeneratedRegex(@"^main\.log\.\d+$")]
    private static partial Regex LegacyNumbered();
}
