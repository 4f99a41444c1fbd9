using System.Text.Json.Nodes;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// Renders JSON values as block-style YAML lines (2-space indentation, sequences indented under
/// their key, empty collections as <c>[]</c>/<c>{}</c>), the layout the reference writes.
/// Lines carry no line terminator.
/// </summary>
public static class YamlBlockWriter
{
    /// <summary>True when the value is written on the same line as its key or dash.</summary>
    public static bool IsInline(JsonNode? value) =>
        value is null or JsonValue || (value is JsonObject o && o.Count == 0) || (value is JsonArray a && a.Count == 0);

    /// <summary>The inline text of a scalar or an empty collection.</summary>
    public static string Inline(JsonNode? value) => value switch
    {
        JsonObject => "{}",
        JsonArray => "[]",
        _ => YamlScalars.Render(value),
    };

    /// <summary>Lines of <c>key: value</c> with the key at column <paramref name="indent"/>.</summary>
    public static List<string> Entry(string key, JsonNode? value, int indent)
    {
        var head = new string(' ', indent) + YamlScalars.RenderKey(key) + ":";
        if (IsInline(value)) return [head + " " + Inline(value)];
        var lines = new List<string> { head };
        lines.AddRange(Body(value!, indent + 2));
        return lines;
    }

    /// <summary>Lines of a non-empty mapping or sequence whose entries or dashes sit at column <paramref name="indent"/>.</summary>
    public static List<string> Body(JsonNode value, int indent)
    {
        var lines = new List<string>();
        switch (value)
        {
            case JsonObject obj:
                foreach (var (k, v) in obj) lines.AddRange(Entry(k, v, indent));
                break;
            case JsonArray arr:
                foreach (var item in arr) lines.AddRange(Item(item, indent));
                break;
            default:
                throw new ArgumentException("a body needs a collection", nameof(value));
        }
        return lines;
    }

    /// <summary>Lines of one sequence item whose dash sits at column <paramref name="indent"/>.</summary>
    public static List<string> Item(JsonNode? value, int indent)
    {
        var dash = new string(' ', indent) + "- ";
        if (IsInline(value)) return [dash + Inline(value)];
        var body = Body(value!, indent + 2);
        if (value is JsonArray) return [dash.TrimEnd(), .. body];
        body[0] = dash + body[0][(indent + 2)..];
        return body;
    }
}
