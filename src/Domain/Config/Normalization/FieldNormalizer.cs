using System.Text.Json.Nodes;

namespace CliProxy.Domain.Config.Normalization;

/// <summary>
/// The field normalisers the provider lists share: headers, excluded models, prefix, model lists.
/// Each returns a new node (or null for "absent") and never mutates its input.
/// </summary>
public static class FieldNormalizer
{
    /// <summary>The string at <paramref name="key"/> of an entry, or <c>""</c>.</summary>
    public static string Str(JsonObject? entry, string key) =>
        entry?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>Headers: trim keys and values, drop pairs with a blank side, first of colliding keys wins; empty → null.</summary>
    public static JsonObject? Headers(JsonNode? headers)
    {
        if (headers is not JsonObject h) return null;
        var result = new JsonObject();
        foreach (var (k, v) in h)
        {
            var key = k.Trim();
            var value = (v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "").Trim();
            if (key.Length == 0 || value.Length == 0 || result.ContainsKey(key)) continue;
            result[key] = value;
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>Excluded models: trim, lower-case, drop blanks, de-duplicate keeping the first; empty → null.</summary>
    public static JsonArray? ExcludedModels(JsonNode? models)
    {
        if (models is not JsonArray a) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();
        foreach (var item in a)
        {
            var m = (item is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Trim().ToLowerInvariant();
            if (m.Length > 0 && seen.Add(m)) result.Add(m);
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>Prefix: trim whitespace, strip leading/trailing <c>/</c>; null when a <c>/</c> remains inside.</summary>
    public static string? Prefix(string prefix)
    {
        var p = prefix.Trim().Trim('/');
        return p.Contains('/') ? null : p;
    }

    /// <summary>
    /// Model aliases: trim name and alias; drop an item when both are blank, or (when
    /// <paramref name="requireBoth"/>) when either is. Null stays null.
    /// </summary>
    public static JsonArray? Models(JsonNode? models, bool requireBoth)
    {
        if (models is not JsonArray a) return null;
        var result = new JsonArray();
        foreach (var item in a.OfType<JsonObject>())
        {
            var name = Str(item, "name").Trim();
            var alias = Str(item, "alias").Trim();
            var drop = requireBoth ? name.Length == 0 || alias.Length == 0 : name.Length == 0 && alias.Length == 0;
            if (!drop) result.Add(new JsonObject { ["name"] = name, ["alias"] = alias });
        }
        return result;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, or removes it when the value is null.</summary>
    public static void Put(JsonObject entry, string key, JsonNode? value)
    {
        if (value is null) entry.Remove(key);
        else entry[key] = value;
    }
}
