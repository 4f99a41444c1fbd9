using System.Text.Json.Nodes;
using System.Text.Json;
using CliProxy.Domain.Config.Json;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary><c>GET /ampcode</c>: the whole Amp section. Read-only.</summary>
public sealed class AmpcodeResource : ConfigResource
{
    /// <inheritdoc />
    public override string Route => "/ampcode";

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; } = [];

    /// <inheritdoc />
    public override string Summary => "Amp integration settings (ampcode)";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) =>
        new() { ["ampcode"] = ConfigRenderer.Output(config.Model["ampcode"] as JsonObject, ConfigSchemas.Ampcode) };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request) => EditOutcome.Refused(Refusals.UnknownConfigEdit);
}

/// <summary>
/// A keyed list inside <c>ampcode</c> whose bodies are <c>{"value": [...]}</c>:
/// <c>model-mappings</c> keyed by <c>from</c>, <c>upstream-api-keys</c> keyed by <c>upstream-api-key</c>.
/// PUT replaces, PATCH upserts by the trimmed key (the last existing duplicate is the target),
/// DELETE removes the entries whose trimmed key is listed. Corrections of the reference: a PUT or DELETE
/// without <c>value</c> is refused instead of clearing everything; clearing takes an explicit <c>[]</c>
/// (PUT, or DELETE of upstream keys).
/// </summary>
public sealed class AmpKeyedListResource : ConfigResource
{
    private readonly string _key;
    private readonly string _keyField;
    private readonly ObjectSchema _schema;
    private readonly Func<JsonObject, JsonObject?> _normalize;
    private readonly bool _deleteEmptyClears;

    private AmpKeyedListResource(string key, string keyField, ObjectSchema schema, Func<JsonObject, JsonObject?> normalize, bool deleteEmptyClears)
    {
        (_key, _keyField, _schema, _normalize, _deleteEmptyClears) = (key, keyField, schema, normalize, deleteEmptyClears);
    }

    /// <summary><c>/ampcode/model-mappings</c>: entries stored as sent.</summary>
    public static AmpKeyedListResource ModelMappings { get; } =
        new("model-mappings", "from", ConfigSchemas.AmpModelMapping, e => e, deleteEmptyClears: false);

    /// <summary><c>/ampcode/upstream-api-keys</c>: entries normalised, blank keys dropped.</summary>
    public static AmpKeyedListResource UpstreamApiKeys { get; } =
        new("upstream-api-keys", "upstream-api-key", ConfigSchemas.AmpUpstreamApiKey, AmpNormalizer.UpstreamKey, deleteEmptyClears: true);

    /// <inheritdoc />
    public override string Route => "/ampcode/" + _key;

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; } = ["PUT", "PATCH", "DELETE"];

    /// <inheritdoc />
    public override string Summary => $"Amp list ampcode.{_key} keyed by {_keyField}";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) =>
        new() { [_key] = ConfigRenderer.Output((config.Model["ampcode"] as JsonObject)?[_key], FieldKind.ListOf(FieldKind.Object(_schema))) };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request)
    {
        if (!RequestValues.TryBoundObject(request, out var body)) return EditOutcome.InvalidBody;
        var existing = ((config.Model["ampcode"] as JsonObject)?[_key] as JsonArray)?.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList() ?? [];
        if (request.Method == "DELETE") return Delete(existing, body);
        if (!GoJson.TryGet(body, "value", out var raw) || !JsonDecoder.TryDecode(raw, FieldKind.ListOf(FieldKind.Object(_schema)), out var decoded))
            return EditOutcome.InvalidBody;
        var incoming = ((JsonArray)decoded!).OfType<JsonObject>().Select(_normalize).OfType<JsonObject>().ToList();
        if (request.Method == "PUT") return Store(incoming);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < existing.Count; i++) index[KeyOf(existing[i])] = i;
        foreach (var entry in incoming)
        {
            if (index.TryGetValue(KeyOf(entry), out var at)) existing[at] = entry;
            else
            {
                index[KeyOf(entry)] = existing.Count;
                existing.Add(entry);
            }
        }
        return Store(existing);
    }

    private EditOutcome Delete(List<JsonObject> existing, JsonElement body)
    {
        if (!GoJson.TryGet(body, "value", out var raw)) return EditOutcome.Refused(Refusals.MissingValue);
        if (!JsonDecoder.TryDecode(raw, FieldKind.ListOf(FieldKind.Text), out var decoded)) return EditOutcome.InvalidBody;
        var keys = ((JsonArray)decoded!).Select(k => k?.GetValue<string>().Trim() ?? "").ToList();
        if (keys.Count == 0) return _deleteEmptyClears ? Store([]) : EditOutcome.Refused(Refusals.MissingValue);
        var wanted = keys.Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0 && _deleteEmptyClears) return EditOutcome.Refused(Refusals.EmptyValue);
        existing.RemoveAll(e => keys.Contains(KeyOf(e)));
        return Store(existing);
    }

    private string KeyOf(JsonObject entry) => FieldNormalizer.Str(entry, _keyField).Trim();

    private EditOutcome Store(List<JsonObject> entries) =>
        EditOutcome.Ok(new ConfigChange(["ampcode", _key], new JsonArray(entries.Select(e => (JsonNode?)(e.Parent is null ? e : e.DeepClone())).ToArray())));
}
