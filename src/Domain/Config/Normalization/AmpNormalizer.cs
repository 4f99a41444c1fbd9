using System.Text.Json.Nodes;
using static CliProxy.Domain.Config.Normalization.FieldNormalizer;

namespace CliProxy.Domain.Config.Normalization;

/// <summary>Normalisation of <c>ampcode.upstream-api-keys</c> entries.</summary>
public static class AmpNormalizer
{
    /// <summary>
    /// Trims <c>upstream-api-key</c> (null when blank: the entry is dropped) and each of
    /// <c>api-keys</c>, dropping blanks; an empty key list is left absent.
    /// </summary>
    public static JsonObject? UpstreamKey(JsonObject entry)
    {
        var key = Str(entry, "upstream-api-key").Trim();
        if (key.Length == 0) return null;
        var result = new JsonObject { ["upstream-api-key"] = key };
        var keys = new JsonArray();
        if (entry["api-keys"] is JsonArray a)
            foreach (var k in a)
                if ((k is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Trim() is { Length: > 0 } t) keys.Add(t);
        if (keys.Count > 0) result["api-keys"] = keys;
        return result;
    }
}
