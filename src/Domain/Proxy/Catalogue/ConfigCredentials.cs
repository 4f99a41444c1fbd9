using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Catalogue;

/// <summary>
/// The API-key credentials of the config document (spec usage §5.3): one <see cref="UpstreamCredential"/> per entry of
/// <c>gemini-api-key</c>, <c>vertex-api-key</c>, <c>codex-api-key</c>, <c>claude-api-key</c> and per key of each
/// <c>openai-compatibility</c> provider, with the models it serves: its <c>models</c> (an <c>alias</c> is the listed
/// name, <c>name</c> goes upstream), or the channel's catalog when it lists none (the OpenAI-compatible lists have no
/// catalog), minus <c>excluded-models</c>, each also as <c>prefix/model</c> (only so under <c>force-model-prefix</c>).
/// </summary>
public static class ConfigCredentials
{
    /// <summary>Every API-key credential of <paramref name="config"/> with its served models (listed name, upstream name, catalog entry or null).</summary>
    public static IEnumerable<(UpstreamCredential Credential, IReadOnlyList<(string Id, string Upstream, JsonObject? Model)> Models)> Of(ConfigSettings config)
    {
        foreach (var item in Keys(config.GeminiKeys, "gemini-api-key", "gemini", UpstreamProtocol.Gemini, config)) yield return item;
        foreach (var item in Keys(config.VertexKeys, "vertex-api-key", "vertex", UpstreamProtocol.Gemini, config)) yield return item;
        foreach (var item in Keys(config.CodexKeys, "codex-api-key", "codex", UpstreamProtocol.OpenAIResponses, config)) yield return item;
        foreach (var item in Keys(config.ClaudeKeys, "claude-api-key", "claude", UpstreamProtocol.ClaudeMessages, config)) yield return item;
        foreach (var provider in config.OpenAICompatibility)
        {
            var name = provider.Name.Trim().ToLowerInvariant();
            for (var i = 0; i < provider.ApiKeyEntries.Length; i++)
            {
                var key = provider.ApiKeyEntries[i];
                if (key.ApiKey.Length == 0) continue;
                var credential = Credential($"openai-compatibility[{name}][{i}]", name, UpstreamProtocol.OpenAIChat, key.ApiKey,
                    provider.BaseUrl, provider.Headers, key.ProxyUrl, provider.Prefix, provider.Priority,
                    ClaudeUpstreamSettings.None);
                yield return (credential, Served(provider.Models, [], ModelPatterns.None, provider.Prefix, config.ForceModelPrefix));
            }
        }
    }

    private static IEnumerable<(UpstreamCredential, IReadOnlyList<(string, string, JsonObject?)>)> Keys<TKey>(
        ImmutableArray<TKey> keys, string list, string provider, UpstreamProtocol protocol, ConfigSettings config)
        where TKey : ProviderKey
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (key.ApiKey.Length == 0) continue;
            var credential = Credential($"{list}[{i}]", provider, protocol, key.ApiKey, key.BaseUrl, key.Headers, key.ProxyUrl, key.Prefix, key.Priority,
                new ClaudeUpstreamSettings(config.ClaudeHeaderDefaults, (key as ClaudeKey)?.Cloak));
            yield return (credential, Served(key.Models, ModelCatalog.Models(provider), ModelPatterns.Of(key.ExcludedModels), key.Prefix, config.ForceModelPrefix));
        }
    }

    private static UpstreamCredential Credential(string id, string provider, UpstreamProtocol protocol, string apiKey, string baseUrl,
        FrozenDictionary<string, string> headers, string proxyUrl, string prefix, long priority, ClaudeUpstreamSettings claude) =>
        new(id, AuthIndex.Of("api_key:" + apiKey.Trim()), provider, protocol, new UpstreamSecret.ApiKey(apiKey), baseUrl, headers,
            proxyUrl, prefix.Trim('/'), priority, UsageSource.UpstreamKey(apiKey), DisableCooling: null, RequestRetry: null)
        { Claude = claude };

    /// <summary>The served models: the configured ones (alias listed, name upstream), else the catalog's, with exclusions and the prefix applied.</summary>
    internal static IReadOnlyList<(string Id, string Upstream, JsonObject? Model)> Served(
        ImmutableArray<ModelAlias> configured, IReadOnlyList<JsonObject> catalog, ModelPatterns excluded, string prefix, bool forcePrefix)
    {
        var byId = catalog.ToDictionary(m => (string?)m["id"] ?? "", StringComparer.Ordinal);
        IEnumerable<(string Listed, string Upstream)> names = configured.Length > 0
            ? configured.Where(m => m.Name.Length > 0 || m.Alias.Length > 0).Select(m => (m.Alias.Length > 0 ? m.Alias : m.Name, m.Name.Length > 0 ? m.Name : m.Alias))
            : byId.Keys.Select(id => (id, id));
        prefix = prefix.Trim('/');
        var served = new List<(string, string, JsonObject?)>();
        foreach (var (listed, upstream) in names)
        {
            if (excluded.Matches(listed) || excluded.Matches(upstream)) continue;
            var model = byId.GetValueOrDefault(upstream);
            if (prefix.Length == 0 || !forcePrefix || string.Equals(prefix, listed, StringComparison.Ordinal)) served.Add((listed, upstream, model));
            if (prefix.Length > 0) served.Add((prefix + "/" + listed, upstream, model));
        }
        return served;
    }
}
