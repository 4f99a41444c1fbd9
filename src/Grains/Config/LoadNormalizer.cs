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
        TrimOrDefault(model, ["remote-management", "panel-github-repository"]);
        TrimOrDefault(model, ["pprof", "addr"]);
        if (model["logs-max-total-size-mb"] is JsonValue size && size.GetValue<long>() < 0) model["logs-max-total-size-mb"] = 0L;
        if (model["error-logs-max-files"] is JsonValue files && files.GetValue<long>() < 0) model["error-logs-max-files"] = (long)ConfigSchemas.DefaultErrorLogsMaxFiles;
        foreach (var list in ProviderList.All)
            if (model[list.Key] is JsonArray entries) model[list.Key] = list.Sanitize(entries, warnings);
        FieldNormalizer.Put(model, "oauth-excluded-models", OAuthMaps.ExcludedModels(model["oauth-excluded-models"]));
        FieldNormalizer.Put(model, "oauth-model-alias", OAuthMaps.ModelAliases(model["oauth-model-alias"]));
        if (model["payload"] is JsonObject payload)
        {
            foreach (var key in new[] { "default-raw", "override-raw" })
                if (payload[key] is JsonArray rules) payload[key] = RawRules(rules, key, warnings);
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
