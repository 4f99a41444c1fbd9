using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Edits of a request body's top-level members without re-serialising the rest: the value's bytes are found
/// with <see cref="Utf8JsonReader"/> and spliced, so a large prompt is copied once and keeps its exact bytes.
/// A body that is not a JSON object is returned unchanged.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// Options for writing a parsed part of a body back with far less escaping than the default encoder, which escapes
    /// every non-ASCII character and <c>+</c> (a base64 image ~8 % larger, a CJK prompt ~2×); characters outside the
    /// Basic Multilingual Plane (emoji) are still written as <c>\u</c> pairs, which every JSON reader takes.
    /// </summary>
    public static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body with top-level member <paramref name="name"/> set to the JSON text <paramref name="jsonValue"/> (added first when absent).</summary>
    public static ReadOnlyMemory<byte> Set(ReadOnlyMemory<byte> body, string name, string jsonValue)
    {
        if (!TryFind(body.Span, name, out var start, out var end, out var open)) return body;
        var value = Encoding.UTF8.GetBytes(jsonValue);
        if (start >= 0) return Splice(body.Span, start, end, value);
        var member = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(name) + ":" + jsonValue + (HasMembers(body.Span, open) ? "," : ""));
        return Splice(body.Span, open + 1, open + 1, member);
    }

    /// <summary>The body with top-level string member <paramref name="name"/> set to <paramref name="value"/>.</summary>
    public static ReadOnlyMemory<byte> SetString(ReadOnlyMemory<byte> body, string name, string value) =>
        Set(body, name, JsonSerializer.Serialize(value));

    /// <summary>The raw JSON text of top-level member <paramref name="name"/>, or null when absent or the body is no object.</summary>
    public static string? Get(ReadOnlySpan<byte> body, string name) =>
        TryFind(body, name, out var start, out var end, out _) && start >= 0 ? Encoding.UTF8.GetString(body[start..end]) : null;

    /// <summary>The body without top-level member <paramref name="name"/> (and its separating comma); unchanged when absent.</summary>
    public static ReadOnlyMemory<byte> Remove(ReadOnlyMemory<byte> body, string name)
    {
        if (!TryFind(body.Span, name, out var start, out var end, out _, out var key) || start < 0) return body;
        var span = body.Span;
        var after = Skip(span, end);
        if (after < span.Length && span[after] == ',') end = Skip(span, after + 1); // a member follows: take the comma after
        else
        {
            var before = key - 1;
            while (before >= 0 && IsSpace(span[before])) before--;
            if (before >= 0 && span[before] == ',') key = before; // the last member: take the comma before
        }
        return Splice(span, key, end, []);
    }

    private static int Skip(ReadOnlySpan<byte> body, int at)
    {
        while (at < body.Length && IsSpace(body[at])) at++;
        return at;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool HasMembers(ReadOnlySpan<byte> body, int open)
    {
        var first = Skip(body, open + 1);
        return first < body.Length && body[first] != '}';
    }

    private static ReadOnlyMemory<byte> Splice(ReadOnlySpan<byte> body, int start, int end, ReadOnlySpan<byte> value)
    {
        var result = new byte[body.Length - (end - start) + value.Length];
        body[..start].CopyTo(result);
        value.CopyTo(result.AsSpan(start));
        body[end..].CopyTo(result.AsSpan(start + value.Length));
        return result;
    }

    /// <summary>Finds the value span of top-level member <paramref name="name"/> (start -1 when absent) and the object's opening brace.</summary>
    private static bool TryFind(ReadOnlySpan<byte> body, string name, out int start, out int end, out int open) =>
        TryFind(body, name, out start, out end, out open, out _);

    /// <summary>As above, with the start of the member's name (its opening quote).</summary>
    private static bool TryFind(ReadOnlySpan<byte> body, string name, out int start, out int end, out int open, out int key)
    {
        start = end = open = key = -1;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            open = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                var nameStart = (int)reader.TokenStartIndex;
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                if (!match) continue;
                key = nameStart;
                start = valueStart;
                end = (int)reader.BytesConsumed;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
