using System.Text.Json.Nodes;
using System.Text.Json;
using CliProxy.Domain.Config.Json;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// The two OAuth maps: <c>/oauth-excluded-models</c> (provider → model patterns) and
/// <c>/oauth-model-alias</c> (channel → aliases). PUT replaces the map (the map itself, or
/// <c>{"items": {map}}</c>); PATCH replaces or (with an empty list) deletes one key; DELETE
/// removes one key. Corrections: a body whose only key is <c>items</c> is always the wrapper
/// (the reference could take it for a provider named <c>items</c>), a <c>null</c> PUT body is refused, and colliding keys resolve to the first one.
/// </summary>
public sealed class OAuthMapResource : ConfigResource
{
    private readonly string _key;
    private readonly string _listField;
    private readonly string _keyWord;
    private readonly FieldKind _valueKind;
    private readonly Func<JsonNode?, JsonArray?> _normalizeList;
    private readonly bool _keepEmptyKey;

    private OAuthMapResource(string key, string listField, string keyWord, FieldKind valueKind,
        Func<JsonNode?, JsonArray?> normalizeList, bool keepEmptyKey)
    {
        (_key, _listField, _keyWord, _valueKind, _normalizeList, _keepEmptyKey) =
            (key, listField, keyWord, valueKind, normalizeList, keepEmptyKey);
    }

    /// <summary><c>/oauth-excluded-models</c>; PATCH body <c>{"provider", "models"}</c>.</summary>
    public static OAuthMapResource ExcludedModels { get; } = new("oauth-excluded-models", "models", "provider",
        FieldKind.ListOf(FieldKind.Text), FieldNormalizer.ExcludedModels, keepEmptyKey: false);

    /// <summary><c>/oauth-model-alias</c>; PATCH body <c>{"channel"|"provider", "aliases"}</c>.</summary>
    public static OAuthMapResource ModelAlias { get; } = new("oauth-model-alias", "aliases", "channel",
        FieldKind.ListOf(FieldKind.Object(ConfigSchemas.OAuthModelAlias)), OAuthMaps.Aliases, keepEmptyKey: true);

    /// <inheritdoc />
    public override string Route => "/" + _key;

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; } = ["PUT", "PATCH", "DELETE"];

    /// <inheritdoc />
    public override string Summary => $"OAuth map {_key} ({_keyWord} → {_listField})";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) =>
        new() { [_key] = ConfigRenderer.Output(config.Model[_key], FieldKind.MapOf(_valueKind)) };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request)
    {
        var map = (config.Model[_key] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
        switch (request.Method)
        {
            case "PUT":
                if (!GoJson.TryParseRaw(request.Body ?? "", out var body) || body.ValueKind != JsonValueKind.Object) return EditOutcome.InvalidBody;
                var props = body.EnumerateObject().ToList();
                if (props.Count == 1 && string.Equals(props[0].Name, "items", StringComparison.OrdinalIgnoreCase))
                    body = props[0].Value;
                if (body.ValueKind != JsonValueKind.Object || !JsonDecoder.TryDecode(body, FieldKind.MapOf(_valueKind), out var decoded))
                    return EditOutcome.InvalidBody;
                return Store(config, OAuthMaps.Map(decoded, _normalizeList));
            case "PATCH":
                if (!RequestValues.TryBoundObject(request, out var patch)) return EditOutcome.InvalidBody;
                var name = GoJson.Has(patch, "channel") && _keyWord == "channel" ? GoJson.Read<string>(patch, "channel") : GoJson.Read<string>(patch, "provider");
                if (name.State == OptionalState.Invalid) return EditOutcome.InvalidBody;
                // The reference requires "provider" for excluded models; a missing channel is just blank.
                if (!name.IsPresent && _keyWord == "provider") return EditOutcome.InvalidBody;
                var list = GoJson.TryGet(patch, _listField, out var rawList) ? rawList : default;
                JsonNode? items = null;
                if (list.ValueKind != JsonValueKind.Undefined && !JsonDecoder.TryDecode(list, _valueKind, out items)) return EditOutcome.InvalidBody;
                var key = OAuthMaps.Channel(name.IsPresent ? name.Value : "");
                if (key.Length == 0) return EditOutcome.Refused(Refusals.InvalidMapKey(_keyWord));
                if (_normalizeList(items) is { } normalized)
                {
                    map[key] = normalized;
                    return Store(config, map);
                }
                return RemoveKey(config, map, key);
            default:
                var param = OAuthMaps.Channel(request.Param(_keyWord) ?? request.Param("provider") ?? "");
                if (param.Length == 0) return EditOutcome.Refused(Refusals.MissingMapKey(_keyWord));
                return RemoveKey(config, map, param);
        }
    }

    private EditOutcome RemoveKey(IConfigView config, JsonObject map, string key) =>
        map.Remove(key) ? Store(config, map) : EditOutcome.Refused(Refusals.MapKeyNotFound(_keyWord));

    private EditOutcome Store(IConfigView config, JsonObject? map)
    {
        if (map is { Count: > 0 }) return EditOutcome.Ok(new ConfigChange([_key], map));
        if (!config.HasRootKey(_key)) return EditOutcome.Ok();
        return _keepEmptyKey ? EditOutcome.Ok(new ConfigChange([_key], new JsonObject())) : EditOutcome.Ok(new ConfigChange([_key], null, Remove: true));
    }
}
