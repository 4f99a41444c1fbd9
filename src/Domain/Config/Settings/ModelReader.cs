using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Normalization;

namespace CliProxy.Domain.Config.Settings;

/// <summary>
/// Reads typed values out of a loaded document's model (see <see cref="ConfigDocument.Model"/>): the
/// one place where settings are looked up by key. An absent key reads as the zero value (or the given
/// default), as the reference's decoder leaves an absent field.
/// </summary>
internal static class ModelReader
{
    /// <summary>The string at <paramref name="key"/>, or <c>""</c>.</summary>
    public static string Text(JsonObject? section, string key) => FieldNormalizer.Str(section, key);

    /// <summary>The string at <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string Text(JsonObject? section, string key, string fallback) =>
        section?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    /// <summary>The boolean at <paramref name="key"/>, or false.</summary>
    public static bool Bool(JsonObject? section, string key) => section?[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>The tri-state boolean at <paramref name="key"/>: null when absent.</summary>
    public static bool? OptionalBool(JsonObject? section, string key) => section?[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The integer at <paramref name="key"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long Int(JsonObject? section, string key, long fallback = 0) =>
        section?[key] is JsonValue v && v.TryGetValue<long>(out var l) ? l : fallback;

    /// <summary>
    /// The whole seconds at <paramref name="key"/> as a duration; a negative value (possible only in a
    /// document stored before the rule that refuses it) counts as zero, a huge one as the longest duration.
    /// </summary>
    public static TimeSpan Seconds(JsonObject? section, string key)
    {
        var seconds = Int(section, key);
        return seconds <= 0 ? TimeSpan.Zero : seconds >= (long)TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The nested object at <paramref name="key"/>, or null.</summary>
    public static JsonObject? Section(JsonObject? section, string key) => section?[key] as JsonObject;

    /// <summary>The strings of the list at <paramref name="key"/> (non-strings skipped), in order.</summary>
    public static ImmutableArray<string> Strings(JsonObject? section, string key) => Strings(section?[key]);

    /// <summary>The strings of <paramref name="list"/> (non-strings skipped), in order; empty when it is not a list.</summary>
    public static ImmutableArray<string> Strings(JsonNode? list) => list is JsonArray a
        ? [.. a.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()]
        : [];

    /// <summary>Each object of the list at <paramref name="key"/> through <paramref name="entry"/>, in order.</summary>
    public static ImmutableArray<T> Objects<T>(JsonObject? section, string key, Func<JsonObject, T> entry) => Objects(section?[key], entry);

    /// <summary>Each object of <paramref name="list"/> through <paramref name="entry"/>, in order; empty when it is not a list.</summary>
    public static ImmutableArray<T> Objects<T>(JsonNode? list, Func<JsonObject, T> entry) =>
        list is JsonArray a ? [.. a.OfType<JsonObject>().Select(entry)] : [];

    /// <summary>The string-to-string map at <paramref name="key"/> (e.g. headers).</summary>
    public static FrozenDictionary<string, string> StringMap(JsonObject? section, string key) =>
        Map(section, key, v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : "");

    /// <summary>The map at <paramref name="key"/> with each value through <paramref name="value"/>.</summary>
    public static FrozenDictionary<string, T> Map<T>(JsonObject? section, string key, Func<JsonNode?, T> value) =>
        section?[key] is JsonObject map ? map.ToFrozenDictionary(kv => kv.Key, kv => value(kv.Value), StringComparer.Ordinal) : FrozenDictionary<string, T>.Empty;

    /// <summary>An untyped value (payload rule parameters) as an immutable JSON element.</summary>
    public static JsonElement Element(JsonNode? value) => JsonSerializer.SerializeToElement(value);
}
