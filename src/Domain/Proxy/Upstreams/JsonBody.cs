using System.Buffers;
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

    /// <summary>
    /// The raw JSON text of each of <paramref name="names"/> that is a top-level member, read in one pass (the last of
    /// duplicates, as <see cref="Get"/>); empty when the body is no object.
    /// </summary>
    public static Dictionary<string, string> GetAll(ReadOnlySpan<byte> body, params ReadOnlySpan<string> names)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        Span<int> starts = stackalloc int[names.Length], ends = stackalloc int[names.Length], keys = stackalloc int[names.Length];
        if (!TryFindAll(body, names, starts, ends, keys, out _)) return found;
        for (var i = 0; i < names.Length; i++)
            if (starts[i] >= 0) found[names[i]] = Encoding.UTF8.GetString(body[starts[i]..ends[i]]);
        return found;
    }

    /// <summary>
    /// The body with each of <paramref name="members"/> (distinct names → JSON text) set, found in one pass and written in
    /// one copy: what <see cref="Set"/> gives called for each in turn (present members replaced in place, absent ones
    /// added first). Unchanged when <paramref name="members"/> is empty or the body is no object.
    /// </summary>
    public static ReadOnlyMemory<byte> SetAll(ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>> members)
    {
        if (members.Count == 0) return body;
        var names = new string[members.Count];
        for (var i = 0; i < names.Length; i++) names[i] = members[i].Key;
        Span<int> starts = stackalloc int[names.Length], ends = stackalloc int[names.Length], keys = stackalloc int[names.Length];
        var span = body.Span;
        if (!TryFindAll(span, names, starts, ends, keys, out var open)) return body;
        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        output.Write(span[..(open + 1)]);
        var wroteAdded = false;
        for (var i = members.Count - 1; i >= 0; i--) // as Set in turn: each added member goes before the ones added earlier
        {
            if (starts[i] >= 0) continue;
            if (wroteAdded) output.Write(","u8);
            output.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(names[i]) + ":" + members[i].Value));
            wroteAdded = true;
        }
        if (wroteAdded && HasMembers(span, open)) output.Write(","u8);
        var at = open + 1;
        var positions = starts.ToArray();
        var present = Enumerable.Range(0, names.Length).Where(i => positions[i] >= 0).OrderBy(i => positions[i]);
        foreach (var i in present)
        {
            output.Write(span[at..starts[i]]);
            output.Write(Encoding.UTF8.GetBytes(members[i].Value));
            at = ends[i];
        }
        output.Write(span[at..]);
        return output.WrittenMemory;
    }

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
        Span<int> starts = stackalloc int[1], ends = stackalloc int[1], keys = stackalloc int[1];
        var found = TryFindAll(body, new ReadOnlySpan<string>(in name), starts, ends, keys, out open);
        (start, end, key) = (starts[0], ends[0], keys[0]);
        return found;
    }

    /// <summary>
    /// One pass over the top level: for each of <paramref name="names"/>, the value span and the name's start of its last
    /// occurrence (-1 when absent), and the object's opening brace. False when the body is not a JSON object.
    /// </summary>
    private static bool TryFindAll(ReadOnlySpan<byte> body, ReadOnlySpan<string> names, Span<int> starts, Span<int> ends, Span<int> keys, out int open)
    {
        starts.Fill(-1);
        ends.Fill(-1);
        keys.Fill(-1);
        open = -1;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            open = (int)reader.TokenStartIndex;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = -1;
                for (var i = 0; i < names.Length && match < 0; i++)
                    if (reader.ValueTextEquals(names[i])) match = i;
                var nameStart = (int)reader.TokenStartIndex;
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                if (match < 0) continue;
                keys[match] = nameStart;
                starts[match] = valueStart;
                ends[match] = (int)reader.BytesConsumed;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
