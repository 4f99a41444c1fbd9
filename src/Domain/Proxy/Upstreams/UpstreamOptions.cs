using Microsoft.Extensions.Configuration;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The default base URL of each provider's upstream, overridable per provider from configuration section
/// <c>Proxy:Upstreams:&lt;provider&gt;:BaseUrl</c> (environment: <c>Proxy__Upstreams__claude__BaseUrl</c>) so tests
/// and operators can point at fakes or relays. A credential's own <c>base-url</c> always wins over both.
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary>The configuration section read by <see cref="FromConfiguration"/>.</summary>
    public const string Section = "Proxy:Upstreams";

    /// <summary>The built-in defaults, by provider key (the reference's executors).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [UpstreamProviders.Claude] = "https://api.anthropic.com",
        [UpstreamProviders.Codex] = "https://chatgpt.com/backend-api/codex",
        [UpstreamProviders.OpenAI] = "https://api.openai.com/v1",
        [UpstreamProviders.Gemini] = "https://generativelanguage.googleapis.com",
        [UpstreamProviders.Vertex] = "https://aiplatform.googleapis.com",
        [UpstreamProviders.Qwen] = "https://portal.qwen.ai/v1",
        [UpstreamProviders.Kimi] = "https://api.kimi.com/coding",
        [UpstreamProviders.IFlow] = "https://apis.iflow.cn/v1",
    };

    /// <summary>Overrides by provider key (case-insensitive); a missing or blank entry means the built-in default.</summary>
    public Dictionary<string, string> BaseUrls { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The default base URL of <paramref name="provider"/> (override, else built-in, else <c>""</c>), without a trailing slash.</summary>
    public string DefaultBaseUrl(string provider) =>
        (BaseUrls.TryGetValue(provider, out var url) && !string.IsNullOrWhiteSpace(url) ? url
            : Defaults.TryGetValue(provider, out var builtIn) ? builtIn : "").Trim().TrimEnd('/');

    /// <summary>The base URL for an attempt: the credential's own, else <see cref="DefaultBaseUrl"/> of <paramref name="provider"/>.</summary>
    public string BaseUrl(UpstreamCredential credential, string provider) =>
        string.IsNullOrWhiteSpace(credential.BaseUrl) ? DefaultBaseUrl(provider) : credential.BaseUrl.Trim().TrimEnd('/');

    /// <summary>Options with the overrides found under <see cref="Section"/> of <paramref name="configuration"/>.</summary>
    public static UpstreamOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new UpstreamOptions();
        foreach (var provider in configuration.GetSection(Section).GetChildren())
            if (provider["BaseUrl"] is { Length: > 0 } url) options.BaseUrls[provider.Key] = url;
        return options;
    }
}

/// <summary>The provider keys of <see cref="UpstreamOptions"/> (executor ids of spec usage §1.3, plus <c>openai</c> for Codex API keys).</summary>
public static class UpstreamProviders
{
    /// <summary>Claude: API keys and OAuth (Anthropic Messages).</summary>
    public const string Claude = "claude";

    /// <summary>Codex OAuth: the ChatGPT backend's Responses API.</summary>
    public const string Codex = "codex";

    /// <summary>Codex API keys without a <c>base-url</c>: the OpenAI platform's Responses API.</summary>
    public const string OpenAI = "openai";

    /// <summary>Gemini API keys (Generative Language API).</summary>
    public const string Gemini = "gemini";

    /// <summary>Vertex API keys.</summary>
    public const string Vertex = "vertex";

    /// <summary>Qwen OAuth (OpenAI-compatible).</summary>
    public const string Qwen = "qwen";

    /// <summary>Kimi OAuth (OpenAI-compatible).</summary>
    public const string Kimi = "kimi";

    /// <summary>iFlow (OpenAI-compatible, key from the OAuth login).</summary>
    public const string IFlow = "iflow";
}
