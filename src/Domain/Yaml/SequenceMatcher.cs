using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// Lines up the items of an existing YAML sequence with the items of its new value, so that the
/// editor keeps the bytes (and comments) of items that survive. An item first matches an equal
/// old item, then an old item with the same identity: for mappings the first non-empty of the
/// keys below (the rule of the reference's merge), for scalars the trimmed text.
/// </summary>
internal static class SequenceMatcher
{
    private static readonly string[] IdentityKeys =
        ["id", "name", "alias", "api-key", "api_key", "apikey", "key", "provider", "model", "from", "upstream-api-key"];

    /// <summary>For each new item, the index of the old item it continues, or -1 for a new item.</summary>
    public static int[] Match(IList<YamlNode> old, JsonArray value)
    {
        var match = Enumerable.Repeat(-1, value.Count).ToArray();
        var used = new bool[old.Count];
        for (var j = 0; j < value.Count; j++)
        {
            for (var i = 0; i < old.Count; i++)
            {
                if (used[i] || !YamlJson.Equivalent(old[i], value[j])) continue;
                used[i] = true;
                match[j] = i;
                break;
            }
        }
        string?[]? oldIds = null;
        for (var j = 0; j < value.Count; j++)
        {
            if (match[j] >= 0) continue;
            var id = Identity(value[j]);
            if (id is null) continue;
            for (var i = 0; i < old.Count; i++)
            {
                oldIds ??= old.Select(o => Identity(YamlJson.ToJson(o))).ToArray();
                if (used[i] || oldIds[i] != id) continue;
                used[i] = true;
                match[j] = i;
                break;
            }
        }
        PairReplacements(match, used);
        return match;
    }

    /// <summary>
    /// A new item that sits where an unmatched old item sat (between the same matched neighbours)
    /// is taken as that item's replacement, so its line keeps its quoting and trailing comment.
    /// </summary>
    private static void PairReplacements(int[] match, bool[] used)
    {
        var oldStart = 0;
        for (var j = 0; j < match.Length;)
        {
            if (match[j] >= 0) { oldStart = match[j] + 1; j++; continue; }
            var end = j;
            while (end < match.Length && match[end] < 0) end++;
            var oldEnd = end < match.Length ? match[end] : used.Length;
            for (int k = j, i = oldStart; k < end && i < oldEnd; i++)
            {
                if (used[i]) continue;
                used[i] = true;
                match[k++] = i;
            }
            j = end;
        }
    }

    private static string? Identity(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in IdentityKeys)
                    if (obj[key] is JsonValue v && v.ToString().Trim() is { Length: > 0 } s) return key + "=" + s;
                return null;
            case JsonValue v:
                return "=" + v.ToString().Trim();
            default:
                return null;
        }
    }
}
