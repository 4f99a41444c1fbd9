using System.Text;
using System.Text.Json;

namespace CliProxy.Domain.Go;

/// <summary>
/// Request-body decoding with the properties of the reference's Go decoder: property
/// names match case-insensitively with the last occurrence winning, unknown properties are
/// ignored, types are strict, and <c>null</c> means "not provided".
/// </summary>
public static class GoJson
{
    /// <summary>
    /// "Bound" mode: reads the first JSON value of <paramref name="body"/> and ignores what follows.
    /// False for an empty body or malformed JSON.
    /// </summary>
    public static bool TryParseBound(string body, out JsonElement value)
    {
        value = default;
        var bytes = Encoding.UTF8.GetBytes(body);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out var doc) || doc is null) return false;
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>"Raw" mode: the whole body must be exactly one JSON value.</summary>
    public static bool TryParseRaw(string body, out JsonElement value)
    {
        value = default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            value = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The value of property <paramref name="name"/> (case-insensitive, last occurrence wins).
    /// False when absent, <c>null</c>, or <paramref name="obj"/> is not an object.
    /// </summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object) return false;
        var found = false;
        foreach (var p in obj.EnumerateObject())
        {
            if (!string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            value = p.Value;
            found = true;
        }
        return found && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>True when property <paramref name="name"/> is present, even as <c>null</c>.</summary>
    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.EnumerateObject().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a strict integer literal (<c>5</c>; not <c>5.0</c>, <c>1e3</c> or <c>"5"</c>).</summary>
    public static bool TryInt(JsonElement e, out long value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number) return false;
        var raw = e.GetRawText();
        return raw.All(c => char.IsAsciiDigit(c) || c == '-') && e.TryGetInt64(out value);
    }

    /// <summary>
    /// Optional typed property: <c>Absent</c> when missing or null, <c>Invalid</c> when present with
    /// the wrong JSON type.
    /// </summary>
    public static Optional<T> Read<T>(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var e)) return Optional<T>.Absent;
        object? v = typeof(T) switch
        {
            var t when t == typeof(string) => e.ValueKind == JsonValueKind.String ? e.GetString() : null,
            var t when t == typeof(bool) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null,
            var t when t == typeof(long) => TryInt(e, out var l) ? l : null,
            var t when t == typeof(JsonElement) => e,
            _ => throw new NotSupportedException(typeof(T).Name),
        };
        return v is null ? Optional<T>.Invalid : new Optional<T>(OptionalState.Present, (T)v);
    }
}

/// <summary>Whether an optional request property was given.</summary>
public enum OptionalState
{
    /// <summary>Not given (missing or null).</summary>
    Absent,
    /// <summary>Given with the expected type.</summary>
    Present,
    /// <summary>Given with the wrong type.</summary>
    Invalid,
}

/// <summary>An optional request property.</summary>
public readonly record struct Optional<T>(OptionalState State, T Value)
{
    /// <summary>Not given.</summary>
    public static Optional<T> Absent => new(OptionalState.Absent, default!);

    /// <summary>Given with the wrong type.</summary>
    public static Optional<T> Invalid => new(OptionalState.Invalid, default!);

    /// <summary>True when given with the expected type.</summary>
    public bool IsPresent => State == OptionalState.Present;
}
