using System.Collections.Frozen;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.Proxy;

/// <summary>
/// One upstream account the proxy can send an attempt to: a config-defined API key
/// (<c>claude-api-key</c>, <c>codex-api-key</c>, <c>gemini-api-key</c>, <c>vertex-api-key</c>, one key of an
/// <c>openai-compatibility</c> provider) or an auth file (OAuth/subscription credential). Built on every
/// node from the config settings and the credential index mirror; never fetched per request.
/// </summary>
/// <param name="Id">The credential id: the auth file name, or for config keys <c>"&lt;list&gt;[&lt;i&gt;]"</c>
/// (e.g. <c>claude-api-key[0]</c>, <c>openai-compatibility[openrouter][1]</c>). Candidates are sorted by it (spec §5.3 step 3).</param>
/// <param name="AuthIndex">The credential's <c>auth_index</c> (spec usage §1.3).</param>
/// <param name="Provider">Executor id: <c>claude</c>, <c>codex</c>, <c>gemini</c>, <c>vertex</c>, <c>qwen</c>, <c>kimi</c>,
/// <c>iflow</c>, <c>gemini-cli</c>, <c>antigravity</c>, or the <c>openai-compatibility</c> entry's name.</param>
/// <param name="Protocol">The wire protocol the upstream speaks.</param>
/// <param name="Secret">How the request is authenticated: an API key (in clear) or an auth file whose
/// access token comes from its grain (<c>IAuthFileGrain.GetAccessToken</c>).</param>
/// <param name="BaseUrl">The credential's <c>base-url</c>, or <c>""</c>: the provider's default (configurable per provider for tests).</param>
/// <param name="Headers">Extra headers of the credential (config <c>headers</c>).</param>
/// <param name="ProxyUrl">The credential's proxy URL, or <c>""</c>: the config's <c>proxy-url</c> applies.</param>
/// <param name="Prefix">Model prefix (one segment) or <c>""</c>.</param>
/// <param name="Priority">Priority group (higher first, default 0).</param>
/// <param name="Source">The usage record's <c>source</c> (spec usage §1.3): account e-mail, project, else a masked upstream key.</param>
/// <param name="DisableCooling">Per-credential override of <c>disable-cooling</c> (auth file metadata), or null.</param>
/// <param name="RequestRetry">Per-credential override of <c>request-retry</c> (auth file metadata), or null.</param>
public sealed record UpstreamCredential(
    string Id,
    string AuthIndex,
    string Provider,
    UpstreamProtocol Protocol,
    UpstreamSecret Secret,
    string BaseUrl,
    FrozenDictionary<string, string> Headers,
    string ProxyUrl,
    string Prefix,
    long Priority,
    string Source,
    bool? DisableCooling,
    int? RequestRetry)
{
    /// <summary>What only the Claude executor reads: the config's <c>claude-header-defaults</c> when the catalogue was built, and a <c>claude-api-key</c> entry's <c>cloak</c>.</summary>
    public ClaudeUpstreamSettings Claude { get; init; } = ClaudeUpstreamSettings.None;
}

/// <summary>The settings of a Claude attempt that do not come from the client.</summary>
/// <param name="HeaderDefaults">The config's <c>claude-header-defaults</c>.</param>
/// <param name="Cloak">The <c>claude-api-key</c> entry's <c>cloak</c>, or null (auth files, or not set): mode <c>auto</c>.</param>
public sealed record ClaudeUpstreamSettings(ClaudeHeaderDefaults HeaderDefaults, CloakSettings? Cloak)
{
    /// <summary>No defaults and no cloak settings.</summary>
    public static readonly ClaudeUpstreamSettings None = new(ClaudeHeaderDefaults.None, null);
}

/// <summary>The wire protocol an upstream speaks.</summary>
public enum UpstreamProtocol
{
    /// <summary>OpenAI Chat Completions / Completions (<c>openai-compatibility</c>, Qwen, Kimi, iFlow).</summary>
    OpenAIChat,

    /// <summary>OpenAI Responses (Codex API keys: api.openai.com; Codex OAuth: the ChatGPT backend).</summary>
    OpenAIResponses,

    /// <summary>Anthropic Messages (Claude API keys and Claude OAuth).</summary>
    ClaudeMessages,

    /// <summary>Gemini <c>generateContent</c> (Gemini and Vertex API keys).</summary>
    Gemini,

    /// <summary>A protocol that needs a request envelope or translation not built yet (Gemini CLI, Antigravity): answered with a clear error.</summary>
    Unsupported,
}

/// <summary>How an upstream request is authenticated.</summary>
public abstract record UpstreamSecret
{
    /// <summary>A config-defined upstream API key, sent as the provider expects it.</summary>
    public sealed record ApiKey(string Key) : UpstreamSecret;

    /// <summary>An auth file: its current access token comes from the credential's grain (refreshed by its single owner).</summary>
    public sealed record AuthFile(string FileName) : UpstreamSecret;
}
