using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Domain.Config.Schema;

namespace CliProxy.Domain.Config;

/// <summary>
/// The reference's load-time normalisation and the value rules of the management routes, applied to every
/// loaded document, in place on a fresh model. The rules are those the routes enforce, taken from
/// the same place: the schema's <see cref="Field.Check"/>/<see cref="Field.Normalize"/>
/// (<see cref="FieldRules"/>) and the provider lists' <see cref="ProviderList.Normalize"/>.
/// </summary>
internal static class LoadNormalizer
{
    /// <summary>
    /// Normalises <paramref name="model"/>; what it drops silently (as the reference does) is
    /// described in <paramref name="warnings"/>, every broken rule in <paramref name="violations"/>
    /// (<c>&lt;key&gt;: &lt;problem&gt;</c>, the key as the route's message names it).
    /// </summary>
    public static void Apply(JsonObject model, List<string> warnings, List<string> violations)
    {
        foreach (var key in model.Select(kv => kv.Key).ToList()) ApplyKey(model, key, warnings, violations);
    }

    /// <summary>Normalises and checks the top-level key <paramref name="key"/> of <paramref name="model"/>.</summary>
    public static void ApplyKey(JsonObject model, string key, List<string> warnings, List<string> violations)
    {
        if (ConfigSchemas.Root.Find(key) is { } field) FieldRules.Apply(model, field, key, violations);
        switch (key)
        {
            case "remote-management":
                TrimOrDefault(model, ["remote-management", "panel-github-repository"]);
                break;
            case "pprof":
                TrimOrDefault(model, ["pprof", "addr"]);
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
                    model[key] = list.Sanitize(entries, violations);
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
