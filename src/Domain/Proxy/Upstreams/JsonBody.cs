using System.Text;
using System.Text.Json;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Edits of a request body's top-level members without re-serialising the rest: the value's bytes are found
/// with <see cref="Utf8JsonReader"/> and spliced, so a large prompt is copied once and keeps its exact bytes.
/// A body that is not a JSON object is returned unchanged.
/// </summary>
public static class JsonBody
{
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

    private static bool HasMembers(ReadOnlySpan<byte> body, int open)
    {
        foreach (var b in body[(open + 1)..])
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b != '}';
        return false;
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
    private static bool TryFind(ReadOnlySpan<byte> body, string name, out int start, out int end, out int open)
    {
        start = end = open = -1;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            open = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                if (!match) continue;
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
