using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// Turns typed values into (a) the reference's JSON output (defaults for absent keys, Go
/// <c>omitempty</c> rules, <c>null</c> for absent lists and <c>[]</c> for empty ones) and (b) the value written to YAML (empty and zero fields left out, since absent
/// reads back as the same value).
/// </summary>
public static class ConfigRenderer
{
    /// <summary>JSON output of an object, without the keys <c>GET /config</c> never shows.</summary>
    public static JsonObject Output(JsonObject? value, ObjectSchema schema)
    {
        var result = new JsonObject();
        foreach (var field in schema.Fields)
        {
            if (field.Hidden) continue;
            var v = value?[field.Name] ?? field.Default;
            switch (field.Kind)
            {
                case ObjectKind ok:
                    if (v is null && field.OmitEmpty) continue;
                    result[field.Name] = Output(v as JsonObject, ok.Schema);
                    break;
                case ListKind or MapKind:
                    if (field.OmitEmpty && IsEmptyCollection(v)) continue;
                    result[field.Name] = Output(v, field.Kind);
                    break;
                case ScalarKind { Type: ScalarType.OptionalBool }:
                    if (v is null && field.OmitEmpty) continue;
                    result[field.Name] = v?.DeepClone();
                    break;
                case ScalarKind sk:
                    v ??= Zero(sk);
                    if (field.OmitEmpty && IsZero(v)) continue;
                    result[field.Name] = v.DeepClone();
                    break;
                default:
                    result[field.Name] = v?.DeepClone();
                    break;
            }
        }
        return result;
    }

    /// <summary>JSON output of a value of <paramref name="kind"/>.</summary>
    public static JsonNode? Output(JsonNode? value, FieldKind kind) => (value, kind) switch
    {
        (null, _) => null,
        (JsonObject o, ObjectKind ok) => Output(o, ok.Schema),
        (JsonArray a, ListKind lk) => new JsonArray(a.Select(i => Output(i, lk.Item)).ToArray()),
        (JsonObject m, MapKind mk) => Map(m, v => Output(v, mk.Value)),
        _ => value.DeepClone(),
    };

    /// <summary>The value to write to YAML for a value of <paramref name="kind"/> (zero fields dropped).</summary>
    public static JsonNode? ToYaml(JsonNode? value, FieldKind kind)
    {
        switch (value, kind)
        {
            case (null, _):
                return null;
            case (JsonObject o, ObjectKind ok):
                var result = new JsonObject();
                foreach (var field in ok.Schema.Fields)
                {
                    var v = ToYaml(o[field.Name], field.Kind);
                    var keep = field.Kind is ScalarKind { Type: ScalarType.OptionalBool } ? v is not null : !IsZeroDeep(v);
                    if (keep) result[field.Name] = v;
                }
                return result;
            case (JsonArray a, ListKind lk):
                return new JsonArray(a.Select(i => ToYaml(i, lk.Item)).ToArray());
            case (JsonObject m, MapKind mk):
                return Map(m, v => ToYaml(v, mk.Value));
            default:
                return value.DeepClone();
        }
    }

    /// <summary>True for null, <c>""</c>, <c>0</c>, <c>false</c>.</summary>
    public static bool IsZero(JsonNode? v) => v switch
    {
        null => true,
        JsonValue jv => jv.GetValueKind() switch
        {
            JsonValueKind.String => jv.GetValue<string>().Length == 0,
            JsonValueKind.False => true,
            JsonValueKind.Number => jv.ToJsonString() == "0",
            _ => false,
        },
        _ => false,
    };

    /// <summary>True for zero scalars, empty collections and objects whose members are all zero.</summary>
    public static bool IsZeroDeep(JsonNode? v) => v switch
    {
        JsonArray a => a.Count == 0,
        JsonObject o => o.All(kv => IsZeroDeep(kv.Value)),
        _ => IsZero(v),
    };

    private static bool IsEmptyCollection(JsonNode? v) => v switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        _ => false,
    };

    private static JsonNode Zero(ScalarKind kind) => kind.Type switch
    {
        ScalarType.String => JsonValue.Create(""),
        ScalarType.Int => JsonValue.Create(0L),
        _ => JsonValue.Create(false),
    };

    private static JsonObject Map(JsonObject m, Func<JsonNode?, JsonNode?> f)
    {
        var result = new JsonObject();
        foreach (var (k, v) in m) result[k] = f(v);
        return result;
    }
}
