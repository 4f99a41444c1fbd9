using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The credential file a finished login writes: its name in <c>auth-dir</c> and its JSON text.</summary>
/// <param name="FileName">A plain <c>*.json</c> file name.</param>
/// <param name="Json">The file's text, in the provider's layout.</param>
public sealed record LoginCredential(string FileName, string Json)
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true, IndentSize = 2 };

    /// <summary>One line of JSON with the keys in lexical order (nested objects too), with or without a trailing newline.</summary>
    public static string SortedCompact(JsonObject fields, bool trailingNewline = true) =>
        Sorted(fields).ToJsonString(Compact) + (trailingNewline ? "\n" : "");

    /// <summary>2-space indented JSON with the keys in lexical order and a trailing newline.</summary>
    public static string SortedIndented(JsonObject fields) => Sorted(fields).ToJsonString(Indented) + "\n";

    /// <summary>RFC 3339 in UTC without fractional seconds (<c>2026-02-24T05:33:13Z</c>).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 in UTC with the fraction, trailing zeros dropped (Go's time format; <c>2026-02-23T22:33:12.123456Z</c>).</summary>
    public static string PreciseTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Sorted(JsonObject source)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in source.OrderBy(p => p.Key, StringComparer.Ordinal))
            sorted[key] = value is JsonObject nested ? Sorted(nested) : value?.DeepClone();
        return sorted;
    }
}

/// <summary>A login that cannot be saved: the upstream's answer lacks the identity its file name needs.</summary>
/// <param name="message">What is missing.</param>
public sealed class MissingIdentityException(string message) : Exception(message);
