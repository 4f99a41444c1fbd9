using System.Text.Json;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Usage;

/// <summary>The details of a <c>POST /usage/import</c> body, or the refusal (spec §1.9).</summary>
/// <param name="Error">Null, <see cref="UsageImport.InvalidJson"/> or <see cref="UsageImport.UnsupportedVersion"/>.</param>
/// <param name="Details">The normalised details to merge, in payload order (empty on an error).</param>
public sealed record UsageImportPayload(string? Error, IReadOnlyList<UsageDetail> Details);

/// <summary>
/// Decodes an import body as the reference's Go decoder does (spec §1.9): struct fields match
/// case-insensitively, unknown fields are ignored, <c>null</c> leaves a value unset, and a value of the
/// wrong type anywhere in the known fields (a string counter, a fractional <c>version</c>, an
/// unparsable <c>timestamp</c>) refuses the whole body as <c>invalid json</c>; then a <c>version</c>
/// other than 0 or 1 is <c>unsupported version</c>. Only <c>usage.apis[*].models[*].details[*]</c> is
/// kept; the aggregates in the body are checked for type and otherwise ignored.
/// </summary>
public static class UsageImport
{
    /// <summary>400 body text for malformed JSON or a mistyped field.</summary>
    public const string InvalidJson = "invalid json";

    /// <summary>400 body text for a <c>version</c> other than 0 or 1.</summary>
    public const string UnsupportedVersion = "unsupported version";

    private static readonly string[] Counters = ["total_requests", "success_count", "failure_count", "total_tokens"];
    private static readonly string[] Buckets = ["requests_by_day", "requests_by_hour", "tokens_by_day", "tokens_by_hour"];

    /// <summary>
    /// Decodes <paramref name="body"/>. API names are trimmed and an API whose name is then empty is
    /// left out; model names are trimmed, empty becomes <c>unknown</c>; tokens are normalised; a
    /// <c>source</c> that is an upstream key is masked (<see cref="UsageSource.ForImport"/>). A detail
    /// without a timestamp gets the body's <c>exported_at</c> (so importing the same file twice finds
    /// it again, spec §7 defect 7), or <paramref name="now"/> in <paramref name="zone"/> when the body has none.
    /// </summary>
    public static UsageImportPayload Parse(string body, DateTimeOffset now, TimeZoneInfo zone, IReadOnlySet<string> upstreamKeys)
    {
        if (!GoJson.TryParseRaw(body, out var root)) return Fail(InvalidJson);
        if (root.ValueKind == JsonValueKind.Null) return new UsageImportPayload(null, []);
        if (root.ValueKind != JsonValueKind.Object) return Fail(InvalidJson);
        long version = 0;
        if (Field(root, "version") is { } v && !GoJson.TryInt(v, out version)) return Fail(InvalidJson);
        var fallback = Field(root, "exported_at") is { ValueKind: JsonValueKind.String } e && UsageTimestamp.TryParse(e.GetString()!, out var exported)
            ? exported : UsageTimestamp.From(now, zone);
        var details = new List<UsageDetail>();
        if (Field(root, "usage") is { } usage && !ReadSnapshot(usage, fallback, upstreamKeys, details)) return Fail(InvalidJson);
        if (version is not (0 or 1)) return Fail(UnsupportedVersion);
        return new UsageImportPayload(null, details);
    }

    private static UsageImportPayload Fail(string error) => new(error, []);

    private static bool ReadSnapshot(JsonElement usage, UsageTimestamp fallback, IReadOnlySet<string> upstreamKeys, List<UsageDetail> details)
    {
        if (usage.ValueKind != JsonValueKind.Object) return false;
        if (Counters.Any(c => Field(usage, c) is { } n && !GoJson.TryInt(n, out _))) return false;
        foreach (var bucket in Buckets)
            if (Field(usage, bucket) is { } map && !(map.ValueKind == JsonValueKind.Object && Values(map).All(x => x.Value.ValueKind == JsonValueKind.Null || GoJson.TryInt(x.Value, out _))))
                return false;
        if (Field(usage, "apis") is not { } apis) return true;
        if (apis.ValueKind != JsonValueKind.Object) return false;
        foreach (var (rawApi, api) in Values(apis))
        {
            if (api.ValueKind == JsonValueKind.Null) continue;
            if (api.ValueKind != JsonValueKind.Object || !ReadApi(rawApi.Trim(), api, fallback, upstreamKeys, details)) return false;
        }
        return true;
    }

    private static bool ReadApi(string apiName, JsonElement api, UsageTimestamp fallback, IReadOnlySet<string> upstreamKeys, List<UsageDetail> details)
    {
        if (Field(api, "total_requests") is { } r && !GoJson.TryInt(r, out _)) return false;
        if (Field(api, "total_tokens") is { } t && !GoJson.TryInt(t, out _)) return false;
        if (Field(api, "models") is not { } models) return true;
        if (models.ValueKind != JsonValueKind.Object) return false;
        foreach (var (rawModel, model) in Values(models))
        {
            if (model.ValueKind == JsonValueKind.Null) continue;
            if (model.ValueKind != JsonValueKind.Object) return false;
            if (Field(model, "total_requests") is { } mr && !GoJson.TryInt(mr, out _)) return false;
            if (Field(model, "total_tokens") is { } mt && !GoJson.TryInt(mt, out _)) return false;
            if (Field(model, "details") is not { } list) continue;
            if (list.ValueKind != JsonValueKind.Array) return false;
            var modelName = rawModel.Trim() is { Length: > 0 } m ? m : "unknown";
            foreach (var item in list.EnumerateArray())
            {
                if (!ReadDetail(item, out var detail, apiName, modelName, fallback, upstreamKeys)) return false;
                if (apiName.Length > 0) details.Add(detail!);
            }
        }
        return true;
    }

    private static bool ReadDetail(JsonElement item, out UsageDetail? detail, string api, string model, UsageTimestamp fallback, IReadOnlySet<string> upstreamKeys)
    {
        detail = null;
        if (item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return false;
        var timestamp = fallback;
        if (Field(item, "timestamp") is { } ts)
        {
            if (ts.ValueKind != JsonValueKind.String || !UsageTimestamp.TryParse(ts.GetString()!, out var parsed)) return false;
            if (!parsed.IsZero) timestamp = parsed; // Go's zero time means "unset"
        }
        if (!Text(item, "source", out var source) || !Text(item, "auth_index", out var authIndex)) return false;
        var failed = false;
        if (Field(item, "failed") is { } f)
        {
            if (f.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return false;
            failed = f.GetBoolean();
        }
        long latency = 0;
        if (Field(item, "latency_ms") is { } l && !GoJson.TryInt(l, out latency)) return false;
        var tokens = new UsageTokens();
        if (Field(item, "tokens") is { } t)
        {
            if (t.ValueKind != JsonValueKind.Object) return false;
            var n = new long[5];
            var names = new[] { "input_tokens", "output_tokens", "reasoning_tokens", "cached_tokens", "total_tokens" };
            for (var i = 0; i < names.Length; i++)
                if (Field(t, names[i]) is { } x && !GoJson.TryInt(x, out n[i])) return false;
            tokens = new UsageTokens(n[0], n[1], n[2], n[3], n[4]);
        }
        detail = new UsageDetail(api, model, timestamp, UsageSource.ForImport(source, upstreamKeys), authIndex, tokens.Normalized(), failed, Math.Max(0, latency), "");
        return true;
    }

    private static bool Text(JsonElement obj, string name, out string value)
    {
        value = "";
        if (Field(obj, name) is not { } e) return true;
        if (e.ValueKind != JsonValueKind.String) return false;
        value = e.GetString()!;
        return true;
    }

    /// <summary>A struct field (case-insensitive, last occurrence wins); null when absent or <c>null</c>.</summary>
    private static JsonElement? Field(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && GoJson.TryGet(obj, name, out var value) ? value : null;

    /// <summary>A map's entries: keys are exact, a repeated key keeps its first position and its last value.</summary>
    private static IEnumerable<(string Key, JsonElement Value)> Values(JsonElement map)
    {
        var order = new List<string>();
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in map.EnumerateObject())
        {
            if (!values.ContainsKey(p.Name)) order.Add(p.Name);
            values[p.Name] = p.Value;
        }
        return order.Select(k => (k, values[k]));
    }
}
