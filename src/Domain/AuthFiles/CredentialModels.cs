using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// The models one credential serves: the channel's static list (antigravity too,
/// instead of a live lookup), minus excluded patterns (the config's
/// <c>oauth-excluded-models[provider]</c> plus the file's <c>excluded_models</c>; case-insensitive
/// <c>*</c> wildcards), with the channel's <c>oauth-model-alias</c> entries applied (an alias
/// replaces the model unless <c>fork</c> keeps both), and with the credential's prefix
/// (<c>prefix/id</c> added, or only that form under <c>force-model-prefix</c>). A disabled
/// credential serves none.
/// </summary>
public static class CredentialModels
{
    private static readonly string[] ResponseFields = ["display_name", "type", "owned_by"];

    /// <summary>The <c>models</c> array of <c>GET /auth-files/models</c>.</summary>
    public static JsonArray For(AuthFileSummary credential, string credentialJson, ConfigSettings config)
    {
        var result = new JsonArray();
        if (credential.Disabled) return result;
        var file = JsonText.ParseObject(credentialJson) ?? new JsonObject();
        var excluded = Patterns(config.OAuthExcludedModels.TryGetValue(credential.Provider, out var patterns) ? patterns : [])
            .Concat(Patterns(file["excluded_models"] ?? file["excluded-models"])).ToList();
        var aliases = config.OAuthModelAlias.TryGetValue(credential.Provider, out var channel) ? channel : [];
        var forcePrefix = config.ForceModelPrefix;
        foreach (var model in ModelCatalog.Models(credential.Provider))
        {
            var id = (string?)model["id"] ?? "";
            if (excluded.Any(p => p.IsMatch(id))) continue;
            foreach (var name in Names(id, aliases))
            {
                if (credential.Prefix.Length == 0 || !forcePrefix) result.Add(Entry(name, model));
                if (credential.Prefix.Length > 0) result.Add(Entry(credential.Prefix + "/" + name, model));
            }
        }
        return result;
    }

    private static IEnumerable<string> Names(string id, ImmutableArray<OAuthModelAlias> aliases)
    {
        var renamed = aliases.Where(a => string.Equals(a.Name, id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (renamed.Count == 0 || renamed.Any(a => a.Fork)) yield return id;
        foreach (var a in renamed) yield return a.Alias;
    }

    private static JsonObject Entry(string id, JsonObject model)
    {
        var entry = new JsonObject { ["id"] = id };
        foreach (var field in ResponseFields)
            if (model[field] is JsonValue v && v.ToString().Length > 0) entry[field] = v.DeepClone();
        return entry;
    }

    private static IEnumerable<Regex> Patterns(JsonNode? list) =>
        Patterns((list as JsonArray)?.OfType<JsonValue>().Select(v => v.ToString()) ?? []);

    private static IEnumerable<Regex> Patterns(IEnumerable<string> list) =>
        list.Select(p => p.Trim()).Where(p => p.Length > 0)
            .Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
}
