using System.Text.Json.Nodes;
using System.Text.Json;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// <c>/api-keys</c>: the client API keys, a list of strings stored verbatim.
/// PUT takes an array or <c>{"items": [...]}</c>; PATCH replaces by <c>index</c>+<c>value</c> or by
/// <c>old</c>+<c>new</c> (appending when <c>old</c> is absent); DELETE removes by <c>?index=</c> or
/// every key equal to <c>?value=</c> (trimmed).
/// Corrections: a <c>null</c> PUT body is refused instead of clearing the list, and
/// <c>{"items": []}</c> clears it like <c>[]</c>.
/// </summary>
public sealed class ApiKeysResource : ConfigResource
{
    private static readonly string[] Path = ["api-keys"];

    /// <inheritdoc />
    public override string Route => "/api-keys";

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods { get; } = ["PUT", "PATCH", "DELETE"];

    /// <inheritdoc />
    public override string Summary => "Client API keys (api-keys)";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) => new() { ["api-keys"] = config.Model["api-keys"]?.DeepClone() };

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request)
    {
        var keys = (config.Model["api-keys"] as JsonArray)?.Select(k => k!.GetValue<string>()).ToList() ?? [];
        switch (request.Method)
        {
            case "PUT":
                if (!RequestValues.TryListBody(request, out var items)) return EditOutcome.InvalidBody;
                var replacement = new List<string>();
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) return EditOutcome.InvalidBody;
                    replacement.Add(item.GetString()!);
                }
                return Store(replacement);
            case "PATCH":
                if (!RequestValues.TryBoundObject(request, out var body)) return EditOutcome.InvalidBody;
                var index = GoJson.Read<long>(body, "index");
                var value = GoJson.Read<string>(body, "value");
                var oldKey = GoJson.Read<string>(body, "old");
                var newKey = GoJson.Read<string>(body, "new");
                if (new[] { index.State, value.State, oldKey.State, newKey.State }.Contains(OptionalState.Invalid)) return EditOutcome.InvalidBody;
                if (index.IsPresent && value.IsPresent && index.Value >= 0 && index.Value < keys.Count)
                {
                    keys[(int)index.Value] = value.Value;
                    return Store(keys);
                }
                if (oldKey.IsPresent && newKey.IsPresent)
                {
                    var at = keys.IndexOf(oldKey.Value);
                    if (at >= 0) keys[at] = newKey.Value;
                    else keys.Add(newKey.Value);
                    return Store(keys);
                }
                return EditOutcome.Refused(Refusals.MissingFields);
            default:
                if (RequestValues.TryLenientIndex(request.Param("index"), out var i) && i >= 0 && i < keys.Count)
                {
                    keys.RemoveAt(i);
                    return Store(keys);
                }
                var remove = request.Param("value")?.Trim();
                if (string.IsNullOrEmpty(remove)) return EditOutcome.Refused(Refusals.MissingIndexOrValue);
                keys.RemoveAll(k => k.Trim() == remove);
                return Store(keys);
        }
    }

    private static EditOutcome Store(List<string> keys)
    {
        var array = new JsonArray();
        foreach (var k in keys) array.Add(k);
        return EditOutcome.Ok(new ConfigChange(Path, array));
    }
}
