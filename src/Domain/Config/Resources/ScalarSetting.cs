using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Json;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// A scalar setting route: <c>GET</c> answers <c>{"&lt;key&gt;": value}</c>; <c>PUT</c> and
/// <c>PATCH</c> take <c>{"value": …}</c> of the setting's type (anything else:
/// <see cref="Refusals.InvalidBody"/>); string settings may also be cleared with <c>DELETE</c>.
/// A write that leaves the effective value unchanged changes nothing in the file (the reference
/// likewise never adds a key whose value is the default). The value's rule and normaliser are its
/// schema field's (<see cref="Field.Check"/>, <see cref="Field.Normalize"/>), the same that document
/// loading applies; a broken rule is refused as invalid with the rule's problem as the words.
/// </summary>
public sealed class ScalarSetting : ConfigResource
{
    private readonly string[] _path;
    private readonly Field _field;
    private readonly ScalarType _type;
    private readonly Func<JsonNode, JsonNode> _normalize;
    private readonly Func<JsonNode?, JsonNode> _effective;

    /// <summary>Creates a setting.</summary>
    /// <param name="route">Route, e.g. <c>/routing/strategy</c>.</param>
    /// <param name="responseKey">Key of the GET answer, e.g. <c>strategy</c>.</param>
    /// <param name="path">YAML path, e.g. <c>routing.strategy</c>.</param>
    /// <param name="type">Value type.</param>
    /// <param name="deletable">DELETE sets the value to <c>""</c>.</param>
    /// <param name="normalize">Turns a value that passed the field's rule and normaliser into the stored one (e.g. a canonical form).</param>
    /// <param name="effective">Maps the stored value (null when absent) to what GET shows; defaults to the schema default.</param>
    public ScalarSetting(string route, string responseKey, string path, ScalarType type, bool deletable = false,
        Func<JsonNode, JsonNode>? normalize = null, Func<JsonNode?, JsonNode>? effective = null)
    {
        Route = route;
        ResponseKey = responseKey;
        _path = path.Split('.');
        _field = SchemaField(_path) ?? throw new ArgumentException($"{path} is not in the config schema", nameof(path));
        _type = type;
        EditMethods = deletable ? ["PUT", "PATCH", "DELETE"] : ["PUT", "PATCH"];
        _normalize = normalize ?? (v => v);
        _effective = effective ?? DefaultEffective;
    }

    /// <inheritdoc />
    public override string Route { get; }

    /// <summary>Key of the GET answer.</summary>
    public string ResponseKey { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; }

    /// <inheritdoc />
    public override string Summary => $"Setting {string.Join('.', _path)} ({_type.ToString().ToLowerInvariant()})";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) => new() { [ResponseKey] = Effective(config) };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request)
    {
        JsonNode value;
        if (request.Method == "DELETE")
        {
            value = JsonValue.Create("");
        }
        else
        {
            if (!RequestValues.TryBoundObject(request, out var body)) return EditOutcome.InvalidBody;
            if (!GoJson.TryGet(body, "value", out var raw) || !JsonDecoder.TryDecode(raw, new ScalarKind(_type), out var decoded) || decoded is null)
                return EditOutcome.InvalidBody;
            if (_field.Check?.Invoke(decoded) is { } problem) return EditOutcome.Refused(Refusal.Invalid(problem));
            value = _normalize(_field.Normalize?.Invoke(decoded) ?? decoded);
        }
        if (JsonNode.DeepEquals(Effective(config), value)) return EditOutcome.Ok();
        return EditOutcome.Ok(new ConfigChange(_path, value));
    }

    private JsonNode Effective(IConfigView config) => _effective(Stored(config));

    private JsonNode? Stored(IConfigView config)
    {
        JsonNode? node = config.Model;
        foreach (var key in _path) node = (node as JsonObject)?[key];
        return node;
    }

    private JsonNode DefaultEffective(JsonNode? stored)
    {
        if (stored is not null) return stored.DeepClone();
        return _field.Default?.DeepClone() ?? _type switch
        {
            ScalarType.String => JsonValue.Create(""),
            ScalarType.Int => JsonValue.Create(0L),
            _ => JsonValue.Create(false),
        };
    }

    private static Field? SchemaField(string[] path)
    {
        var field = ConfigSchemas.Root.Find(path[0]);
        for (var i = 1; i < path.Length && field?.Kind is ObjectKind ok; i++) field = ok.Schema.Find(path[i]);
        return field;
    }
}
