using System.Collections.Immutable;
using System.Text.Json.Nodes;
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
    public static JsonArray For(CredentialEntry credential, ConfigSettings config) =>
        [.. Served(credential, config).Select(m => Entry(m.Id, m.Model))];

    /// <summary>The ids of the models <paramref name="credential"/> serves under <paramref name="config"/>, in catalog order.</summary>
    public static ImmutableArray<string> Ids(CredentialEntry credential, ConfigSettings config) =>
        [.. Served(credential, config).Select(m => m.Id)];

    /// <summary>
    /// The models <paramref name="credential"/> serves under <paramref name="config"/>, each with the catalog model it
    /// is asked for upstream (prefix stripped, alias resolved) and the catalog entry (for listings): the proxy's routes.
    /// </summary>
    public static IEnumerable<(string Id, string Upstream, JsonObject Model)> Routes(CredentialEntry credential, ConfigSettings config) =>
        Served(credential, config).Select(m => (m.Id, m.Upstream, m.Model));

    private static IEnumerable<(string Id, JsonObject Model, string Upstream)> Served(CredentialEntry credential, ConfigSettings config)
    {
        if (credential.Disabled) yield break;
        var excluded = ModelPatterns.Of(config.OAuthExcludedModels.TryGetValue(credential.Provider, out var patterns) ? patterns : []);
        var aliases = config.OAuthModelAlias.TryGetValue(credential.Provider, out var channel) ? channel : [];
        var forcePrefix = config.ForceModelPrefix;
        foreach (var model in ModelCatalog.Models(credential.Provider))
        {
            var id = (string?)model["id"] ?? "";
            if (excluded.Matches(id) || credential.ExcludedModels.Matches(id)) continue;
            foreach (var name in Names(id, aliases))
            {
                if (credential.Prefix.Length == 0 || !forcePrefix) yield return (name, model, id);
                if (credential.Prefix.Length > 0) yield return (credential.Prefix + "/" + name, model, id);
            }
        }
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
}
