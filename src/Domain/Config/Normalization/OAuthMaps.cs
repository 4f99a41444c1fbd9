using System.Text.Json.Nodes;
using static CliProxy.Domain.Config.Normalization.FieldNormalizer;

namespace CliProxy.Domain.Config.Normalization;

/// <summary>Normalisers of the two OAuth maps. Colliding keys: the first in document order wins.</summary>
public static class OAuthMaps
{
    /// <summary>Normalised channel/provider key: trimmed and lower-cased.</summary>
    public static string Channel(string key) => key.Trim().ToLowerInvariant();

    /// <summary><c>oauth-excluded-models</c>: keys normalised, lists as excluded models, empty providers dropped; empty → null.</summary>
    public static JsonObject? ExcludedModels(JsonNode? map) => Map(map, FieldNormalizer.ExcludedModels);

    /// <summary><c>oauth-model-alias</c>: keys normalised, aliases sanitised, empty channels dropped; empty → null.</summary>
    public static JsonObject? ModelAliases(JsonNode? map) => Map(map, Aliases);

    /// <summary>
    /// A channel map: keys normalised (<see cref="Channel"/>; blank keys dropped, the first of
    /// colliding keys wins), each list normalised by <paramref name="list"/> (null drops the channel); empty → null.
    /// </summary>
    public static JsonObject? Map(JsonNode? map, Func<JsonNode?, JsonArray?> list)
    {
        if (map is not JsonObject m) return null;
        var result = new JsonObject();
        foreach (var (k, v) in m)
        {
            var key = Channel(k);
            if (key.Length == 0 || result.ContainsKey(key)) continue;
            if (list(v) is { } normalised) result[key] = normalised;
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>
    /// One channel's aliases: trim name and alias; drop when either is blank, when name equals
    /// alias (ignoring case), or when the alias already appeared (ignoring case); empty → null.
    /// </summary>
    public static JsonArray? Aliases(JsonNode? list)
    {
        if (list is not JsonArray a) return null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new JsonArray();
        foreach (var item in a.OfType<JsonObject>())
        {
            var name = Str(item, "name").Trim();
            var alias = Str(item, "alias").Trim();
            if (name.Length == 0 || alias.Length == 0 || string.Equals(name, alias, StringComparison.OrdinalIgnoreCase) || !seen.Add(alias)) continue;
            var entry = new JsonObject { ["name"] = name, ["alias"] = alias };
            if (item["fork"] is JsonValue f && f.TryGetValue<bool>(out var fork) && fork) entry["fork"] = true;
            result.Add(entry);
        }
        return result.Count == 0 ? null : result;
    }
}
