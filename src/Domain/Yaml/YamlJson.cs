using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Yaml;

/// <summary>Converts YAML nodes to JSON values and compares them with JSON values.</summary>
public static class YamlJson
{
    /// <summary>The JSON value of a node (scalars by their plain-style resolution, see <see cref="YamlScalars.ToJson"/>).</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode s => YamlScalars.ToJson(s),
        YamlSequenceNode q => new JsonArray(q.Children.Select(ToJson).ToArray()),
        YamlMappingNode m => ToObject(m),
        _ => null,
    };

    /// <summary>True when <paramref name="node"/> already represents <paramref name="value"/> (mapping key order ignored).</summary>
    public static bool Equivalent(YamlNode node, JsonNode? value) => (node, value) switch
    {
        (YamlScalarNode s, null or JsonValue) => YamlScalars.Equivalent(s, value),
        (YamlSequenceNode q, JsonArray a) => q.Children.Count == a.Count && q.Children.Select((c, i) => Equivalent(c, a[i])).All(x => x),
        (YamlMappingNode m, JsonObject o) => m.Children.Count == o.Count && m.Children.All(kv =>
            kv.Key is YamlScalarNode k && o.TryGetPropertyValue(k.Value ?? "", out var v) && Equivalent(kv.Value, v)),
        _ => false,
    };

    /// <summary>True for a null, empty, <c>0</c> or <c>false</c> scalar and for an empty collection.</summary>
    public static bool IsZero(YamlNode node) => node switch
    {
        YamlSequenceNode q => q.Children.Count == 0,
        YamlMappingNode m => m.Children.Count == 0,
        YamlScalarNode s => YamlScalars.ToJson(s) switch
        {
            null => true,
            JsonValue v => v.ToJsonString() is "\"\"" or "0" or "false",
            _ => false,
        },
        _ => false,
    };

    private static JsonObject ToObject(YamlMappingNode m)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in m.Children)
            obj[(k as YamlScalarNode)?.Value ?? k.ToString()] = ToJson(v);
        return obj;
    }
}
