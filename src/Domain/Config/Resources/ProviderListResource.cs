using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Json;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// One provider credential list route, written once for all five lists:
/// <list type="bullet">
/// <item><c>PUT</c>: an array of entries or <c>{"items": [...]}</c> replaces the list.</item>
/// <item><c>PATCH</c>: <c>{"index": N, "match"|"name": "...", "value": {partial entry}}</c> edits one
/// entry; fields present in <c>value</c> overwrite, absent or null ones stay.</item>
/// <item><c>DELETE</c>: <c>?api-key=</c> (or <c>?name=</c>; optional <c>&amp;base-url=</c>) removes every
/// match, else <c>?index=</c>.</item>
/// </list>
/// Every list follows the same rules (the reference treats each list a little differently):
/// entries are normalised (<see cref="ProviderList.Normalize"/>); an entry without its id (or without a required base-url), with
/// a prefix containing <c>/</c>, or duplicating another entry's id and base-url is refused as invalid,
/// naming the entry, instead of being dropped silently; selectors and DELETE parameters are trimmed;
/// a PATCH or DELETE that matches nothing is refused with <see cref="Refusals.ItemNotFound"/>.
/// </summary>
public sealed class ProviderListResource(ProviderList list) : ConfigResource
{
    private readonly string[] _path = [list.Key];

    /// <inheritdoc />
    public override string Route => "/" + list.Key;

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; } = ["PUT", "PATCH", "DELETE"];

    /// <inheritdoc />
    public override string Summary => $"Provider credential list {list.Key}";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) =>
        new() { [list.Key] = ConfigRenderer.Output(config.Model[list.Key], FieldKind.ListOf(list.EntryKind)) };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request)
    {
        var entries = (config.Model[list.Key] as JsonArray)?.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList() ?? [];
        return request.Method switch
        {
            "PUT" => Put(request),
            "PATCH" => Patch(entries, request),
            _ => Delete(entries, request),
        };
    }

    private EditOutcome Put(ResourceRequest request)
    {
        if (!RequestValues.TryListBody(request, out var items)) return EditOutcome.InvalidBody;
        var result = new List<JsonObject>();
        foreach (var item in items.EnumerateArray())
        {
            if (!JsonDecoder.TryDecodeObject(item, list.Schema, out var entry)) return EditOutcome.InvalidBody;
            var problem = list.Normalize(entry, out var normalized);
            if (problem is not null) return EditOutcome.Refused(Refusal.Invalid($"{list.Key}[{result.Count}]: {problem}"));
            result.Add(normalized);
        }
        return Validated(result);
    }

    private EditOutcome Patch(List<JsonObject> entries, ResourceRequest request)
    {
        if (!RequestValues.TryBoundObject(request, out var body)) return EditOutcome.InvalidBody;
        var index = GoJson.Read<long>(body, "index");
        var selector = GoJson.Read<string>(body, list.SelectorField);
        if (index.State == OptionalState.Invalid || selector.State == OptionalState.Invalid) return EditOutcome.InvalidBody;
        if (!GoJson.TryGet(body, "value", out var raw) || !JsonDecoder.TryDecodeObject(raw, list.Schema, out var patch)) return EditOutcome.InvalidBody;
        var target = index.IsPresent && index.Value >= 0 && index.Value < entries.Count ? (int)index.Value : -1;
        if (target < 0 && selector.IsPresent && selector.Value.Trim() is { Length: > 0 } wanted)
            target = entries.FindIndex(e => FieldNormalizer.Str(e, list.IdField) == wanted);
        if (target < 0) return EditOutcome.Refused(Refusals.ItemNotFound);
        var merged = entries[target];
        foreach (var (key, value) in patch)
            if (value is not null) merged[key] = value.DeepClone();
        var problem = list.Normalize(merged, out var normalized);
        if (problem is not null) return EditOutcome.Refused(Refusal.Invalid($"{list.Key}[{target}]: {problem}"));
        entries[target] = normalized;
        return Validated(entries);
    }

    private EditOutcome Delete(List<JsonObject> entries, ResourceRequest request)
    {
        var id = request.Param(list.IdField)?.Trim();
        if (!string.IsNullOrEmpty(id))
        {
            var baseUrl = request.Param("base-url")?.Trim();
            var removed = entries.RemoveAll(e => FieldNormalizer.Str(e, list.IdField) == id
                && (baseUrl is null || FieldNormalizer.Str(e, "base-url") == baseUrl));
            return removed == 0 ? EditOutcome.Refused(Refusals.ItemNotFound) : Store(entries);
        }
        if (RequestValues.TryLenientIndex(request.Param("index"), out var i) && i >= 0 && i < entries.Count)
        {
            entries.RemoveAt(i);
            return Store(entries);
        }
        return EditOutcome.Refused(Refusal.Invalid(list.MissingSelectorMessage));
    }

    private EditOutcome Validated(List<JsonObject> entries)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (seen.TryGetValue(list.Identity(entries[i]), out var first))
                return EditOutcome.Refused(Refusal.Invalid(list.DuplicateMessage(i, first)));
            seen[list.Identity(entries[i])] = i;
        }
        return Store(entries);
    }

    private EditOutcome Store(List<JsonObject> entries) =>
        EditOutcome.Ok(new ConfigChange(_path, new JsonArray(entries.Select(e => (JsonNode?)e).ToArray())));
}
