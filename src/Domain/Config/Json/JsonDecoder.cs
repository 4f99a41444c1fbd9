using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Json;

/// <summary>
/// Decodes request JSON into typed values by schema with Go decoder semantics (see
/// <see cref="GoJson"/>). Any type mismatch makes the whole body invalid.
/// </summary>
public static class JsonDecoder
{
    /// <summary>
    /// Decodes an object of <paramref name="schema"/>. Properties given as <c>null</c> or absent are
    /// left out of the result, so the caller can tell "not provided" from an empty value.
    /// </summary>
    public static bool TryDecodeObject(JsonElement e, ObjectSchema schema, out JsonObject value)
    {
        value = new JsonObject();
        if (e.ValueKind != JsonValueKind.Object) return false;
        foreach (var field in schema.Fields)
        {
            if (!GoJson.TryGet(e, field.Name, out var fe)) continue;
            if (!TryDecode(fe, field.Kind, out var v)) return false;
            value[field.Name] = v;
        }
        return true;
    }

    /// <summary>Decodes one value of <paramref name="kind"/>; <c>null</c> decodes to a null node.</summary>
    public static bool TryDecode(JsonElement e, FieldKind kind, out JsonNode? value)
    {
        value = null;
        if (e.ValueKind == JsonValueKind.Null) return true;
        switch (kind)
        {
            case ScalarKind { Type: ScalarType.String }:
                if (e.ValueKind != JsonValueKind.String) return false;
                value = JsonValue.Create(e.GetString()!);
                return true;
            case ScalarKind { Type: ScalarType.Int }:
                if (!GoJson.TryInt(e, out var l)) return false;
                value = JsonValue.Create(l);
                return true;
            case ScalarKind:
                if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return false;
                value = JsonValue.Create(e.GetBoolean());
                return true;
            case AnyKind:
                value = JsonNode.Parse(e.GetRawText());
                return true;
            case ObjectKind ok:
                if (!TryDecodeObject(e, ok.Schema, out var obj)) return false;
                value = obj;
                return true;
            case ListKind lk:
                if (e.ValueKind != JsonValueKind.Array) return false;
                var arr = new JsonArray();
                foreach (var item in e.EnumerateArray())
                {
                    if (!TryDecode(item, lk.Item, out var v)) return false;
                    arr.Add(v);
                }
                value = arr;
                return true;
            case MapKind mk:
                if (e.ValueKind != JsonValueKind.Object) return false;
                var map = new JsonObject();
                foreach (var p in e.EnumerateObject())
                {
                    if (!TryDecode(p.Value, mk.Value, out var v)) return false;
                    map.Remove(p.Name);
                    map[p.Name] = v;
                }
                value = map;
                return true;
            default:
                return false;
        }
    }
}
