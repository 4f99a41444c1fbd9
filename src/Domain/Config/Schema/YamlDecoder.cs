using System.Text.Json.Nodes;
using CliProxy.Domain.Yaml;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// Decodes YAML nodes into typed JSON values by schema, with the reference decoder's rules:
/// unknown keys ignored, null means absent, strict booleans and integers (YAML 1.1
/// boolean words accepted), any scalar accepted as a string. Type errors are collected in the
/// reference's format (<c>line N: cannot unmarshal !!str `abc` into bool</c>).
/// </summary>
public sealed class YamlDecoder
{
    private readonly List<string> _errors = [];

    /// <summary>Errors found so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Decodes a mapping of <paramref name="schema"/>; null when the node is null or mistyped.</summary>
    public JsonObject? DecodeObject(YamlNode node, ObjectSchema schema)
    {
        if (node is YamlScalarNode s && YamlScalars.IsNull(s)) return null;
        if (node is not YamlMappingNode map)
        {
            Mismatch(node, schema.TypeName);
            return null;
        }
        var obj = new JsonObject();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode key || schema.Find(key.Value ?? "") is not { } field) continue;
            var value = Decode(v, field.Kind);
            obj.Remove(field.Name);
            if (value is not null) obj[field.Name] = value;
        }
        return obj;
    }

    /// <summary>Decodes one value of <paramref name="kind"/>; null when the node is null or mistyped.</summary>
    public JsonNode? Decode(YamlNode node, FieldKind kind)
    {
        if (node is YamlScalarNode n && YamlScalars.IsNull(n) && kind is not ScalarKind { Type: ScalarType.String }) return null;
        switch (kind)
        {
            case ScalarKind sk:
                return DecodeScalar(node, sk);
            case AnyKind:
                return YamlJson.ToJson(node);
            case ObjectKind ok:
                return DecodeObject(node, ok.Schema);
            case ListKind lk:
                if (node is not YamlSequenceNode seq) { Mismatch(node, kind.TypeName); return null; }
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    var v = Decode(item, lk.Item);
                    arr.Add(v ?? ZeroOf(lk.Item));
                }
                return arr;
            case MapKind mk:
                if (node is not YamlMappingNode map) { Mismatch(node, kind.TypeName); return null; }
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "";
                    obj.Remove(key);
                    obj[key] = Decode(v, mk.Value) ?? ZeroOf(mk.Value);
                }
                return obj;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private JsonNode? DecodeScalar(YamlNode node, ScalarKind kind)
    {
        if (node is not YamlScalarNode s)
        {
            Mismatch(node, kind.TypeName);
            return null;
        }
        switch (kind.Type)
        {
            case ScalarType.String:
                return JsonValue.Create(YamlScalars.IsNull(s) ? "" : s.Value ?? "");
            case ScalarType.Int:
                if (YamlScalars.TryReadInt(s, out var i)) return JsonValue.Create(i);
                break;
            default:
                if (YamlScalars.TryReadBool(s, out var b)) return JsonValue.Create(b);
                break;
        }
        Mismatch(node, kind.TypeName);
        return null;
    }

    /// <summary>The zero value stored for a list item or map value that was null.</summary>
    private static JsonNode? ZeroOf(FieldKind kind) => kind switch
    {
        ScalarKind { Type: ScalarType.String } => JsonValue.Create(""),
        ScalarKind { Type: ScalarType.Int } => JsonValue.Create(0L),
        ScalarKind { Type: ScalarType.Bool } => JsonValue.Create(false),
        ObjectKind => new JsonObject(),
        _ => null,
    };

    private void Mismatch(YamlNode node, string typeName)
    {
        var tag = node switch
        {
            YamlMappingNode => "!!map",
            YamlSequenceNode => "!!seq",
            YamlScalarNode s => TagOf(s),
            _ => "!!str",
        };
        var shown = node is YamlScalarNode sc ? $" `{Truncate(sc.Value ?? "")}`" : "";
        _errors.Add($"line {node.Start.Line}: cannot unmarshal {tag}{shown} into {typeName}");
    }

    private static string TagOf(YamlScalarNode s)
    {
        if (!YamlScalars.IsPlain(s)) return "!!str";
        return YamlScalars.ToJson(s) switch
        {
            null => "!!null",
            JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "!!bool",
            JsonValue v when v.TryGetValue<long>(out _) => "!!int",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => "!!float",
            _ => "!!str",
        };
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..37] + "..." : s;
}
