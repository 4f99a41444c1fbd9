namespace CliProxy.Domain.OAuth;

/// <summary>
/// The login providers: the name a session is registered under (what callbacks name, e.g.
/// <c>gemini</c>) and the name of its settings section (<c>OAuth:Providers:&lt;name&gt;</c>, e.g.
/// <c>gemini-cli</c>), and the aliases <c>POST /oauth-callback</c> accepts.
/// </summary>
public static class OAuthProviders
{
    /// <summary>Claude (<c>/anthropic-auth-url</c>).</summary>
    public const string Anthropic = "anthropic";

    /// <summary>OpenAI Codex (<c>/codex-auth-url</c>).</summary>
    public const string Codex = "codex";

    /// <summary>Gemini CLI (<c>/gemini-cli-auth-url</c>); its settings section is <c>gemini-cli</c>.</summary>
    public const string Gemini = "gemini";

    /// <summary>Antigravity (<c>/antigravity-auth-url</c>).</summary>
    public const string Antigravity = "antigravity";

    /// <summary>Qwen (device code, <c>/qwen-auth-url</c>).</summary>
    public const string Qwen = "qwen";

    /// <summary>Kimi (device code, <c>/kimi-auth-url</c>).</summary>
    public const string Kimi = "kimi";

    /// <summary>iFlow (<c>/iflow-auth-url</c>).</summary>
    public const string IFlow = "iflow";

    /// <summary>Every session provider, in the order of the route table.</summary>
    public static IReadOnlyList<string> All { get; } = [Anthropic, Codex, Gemini, Antigravity, Qwen, Kimi, IFlow];

    /// <summary>The settings section of a session provider (<c>gemini</c> → <c>gemini-cli</c>, others unchanged).</summary>
    public static string SettingsKey(string provider) => provider == Gemini ? "gemini-cli" : provider;

    /// <summary>
    /// The canonical provider of <paramref name="name"/> as <c>POST /oauth-callback</c> names it
    /// (trimmed, any case): <c>anthropic</c>/<c>claude</c>, <c>codex</c>/<c>openai</c>,
    /// <c>gemini</c>/<c>google</c>, <c>iflow</c>/<c>i-flow</c>, <c>antigravity</c>/<c>anti-gravity</c>,
    /// <c>qwen</c>; null for anything else (Kimi has no redirect, as in the reference).
    /// </summary>
    public static string? Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "anthropic" or "claude" => Anthropic,
        "codex" or "openai" => Codex,
        "gemini" or "google" => Gemini,
        "iflow" or "i-flow" => IFlow,
        "antigravity" or "anti-gravity" => Antigravity,
        "qwen" => Qwen,
        _ => null,
    };
}
