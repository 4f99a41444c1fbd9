using System.Collections.Frozen;
using System.Text.Json.Nodes;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.Proxy.Catalogue;

/// <summary>
/// The auth-file credentials (subscription logins) of a <see cref="CredentialIndex"/> as upstream credentials, with
/// the models each serves (<see cref="CredentialModels.Routes"/>: the channel's catalog, exclusions, OAuth aliases,
/// prefix). Disabled credentials serve nothing and are left out. The wire protocol follows the provider: Claude speaks
/// Anthropic Messages, Codex the Responses API, Qwen, Kimi and iFlow OpenAI Chat, Vertex Gemini; Gemini CLI,
/// Antigravity and AI Studio need an envelope or a relay not built yet (<see cref="UpstreamProtocol.Unsupported"/>).
/// </summary>
public static class FileCredentials
{
    /// <summary>Every enabled auth-file credential of <paramref name="index"/> with its served models.</summary>
    public static IEnumerable<(UpstreamCredential Credential, IReadOnlyList<(string Id, string Upstream, JsonObject? Model)> Models)> Of(
        CredentialIndex index, ConfigSettings config)
    {
        var claude = new ClaudeUpstreamSettings(config.ClaudeHeaderDefaults, Cloak: null); // one for every file of this build
        foreach (var entry in index.All)
        {
            if (entry.Disabled) continue;
            var credential = new UpstreamCredential(entry.Name, entry.AuthIndex, entry.Provider, ProtocolOf(entry.Provider),
                new UpstreamSecret.AuthFile(entry.Name), BaseUrl: "", FrozenDictionary<string, string>.Empty, entry.ProxyUrl,
                entry.Prefix.Trim('/'), entry.Priority, entry.Label, entry.DisableCooling, entry.RequestRetry)
            { Claude = claude };
            yield return (credential, [.. CredentialModels.Routes(entry, config).Select(r => (r.Id, r.Upstream, (JsonObject?)r.Model))]);
        }
    }

    /// <summary>The wire protocol of an auth file's provider.</summary>
    public static UpstreamProtocol ProtocolOf(string provider) => provider switch
    {
        "claude" => UpstreamProtocol.ClaudeMessages,
        "codex" => UpstreamProtocol.OpenAIResponses,
        "qwen" or "kimi" or "iflow" => UpstreamProtocol.OpenAIChat,
        "vertex" => UpstreamProtocol.Gemini,
        _ => UpstreamProtocol.Unsupported,
    };
}
