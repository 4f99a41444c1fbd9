using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Grains.Config.Normalization;
using CliProxy.Grains.Config.Schema;

namespace CliProxy.Grains.Config;

/// <summary>Normalisation applied to every loaded document (spec §5.1.4), in place on a fresh model.</summary>
internal static class LoadNormalizer
{
    /// <summary>Normalises <paramref name="model"/>; what it drops is described in <paramref name="warnings"/>.</summary>
    public static void Apply(JsonObject model, List<string> warnings)
    {
        foreach (var key in model.Select(kv => kv.Key).ToList()) ApplyKey(model, key, warnings);
    }

    /// <summary>Normalises the top-level key <paramref name="key"/> of <paramref name="model"/>.</summary>
    public static void ApplyKey(JsonObject model, string key, List<string> warnings)
    {
        switch (key)
        {
            case "remote-management":
                TrimOrDefault(model, ["remote-management", "panel-github-repository"]);
                break;
            case "pprof":
                TrimOrDefault(model, ["pprof", "addr"]);
                break;
            case "logs-max-total-size-mb" when model[key] is JsonValue size && size.GetValue<long>() < 0:
                model[key] = 0L;
                break;
            case "error-logs-max-files" when model[key] is JsonValue files && files.GetValue<long>() < 0:
                model[key] = (long)ConfigSchemas.DefaultErrorLogsMaxFiles;
                break;
            case "oauth-excluded-models":
                FieldNormalizer.Put(model, key, OAuthMaps.ExcludedModels(model[key]));
                break;
            case "oauth-model-alias":
                FieldNormalizer.Put(model, key, OAuthMaps.ModelAliases(model[key]));
                break;
            case "payload" when model[key] is JsonObject payload:
                foreach (var raw in new[] { "default-raw", "override-raw" })
                    if (payload[raw] is JsonArray rules) payload[raw] = RawRules(rules, raw, warnings);
                break;
            default:
                if (ProviderList.All.FirstOrDefault(l => l.Key == key) is { } list && model[key] is JsonArray entries)
                    model[key] = list.Sanitize(entries, warnings);
                break;
        }
    }

    private static void TrimOrDefault(JsonObject model, string[] path)
    {
        if (model[path[0]] is not JsonObject section || section[path[1]] is not JsonValue v) return;
        var trimmed = v.GetValue<string>().Trim();
        if (trimmed.Length == 0) section.Remove(path[1]);
        else section[path[1]] = trimmed;
    }

    /// <summary>Raw payload rules: drop rules without params and rules with a blank or non-JSON string param.</summary>
    private static JsonArray RawRules(JsonArray rules, string key, List<string> warnings)
    {
        var kept = new JsonArray();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i] as JsonObject;
            var ok = rule?["params"] is JsonObject p && p.Count > 0 && p.All(kv => kv.Value is not JsonValue v
                || v.GetValueKind() != JsonValueKind.String || IsJson(v.GetValue<string>()));
            if (ok) kept.Add(rule!.DeepClone());
            else warnings.Add($"payload.{key}[{i}]: dropped (no params, or a param that is not valid JSON)");
        }
        return kept;
    }

    private static bool IsJson(string s)
    {
        if (s.Trim().Length == 0) return false;
        try
        {
            using var _ = JsonDocument.Parse(s);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
