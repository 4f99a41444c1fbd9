using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>What a login test needs to know of each redirect provider: its routes, aliases and the file it writes.</summary>
/// <param name="Key">Theory key.</param>
/// <param name="StartRoute">The start route.</param>
/// <param name="Alias">A provider alias <c>POST /oauth-callback</c> accepts.</param>
/// <param name="CallbackPath">The server-root callback route.</param>
/// <param name="Type">The <c>type</c> field of the file.</param>
/// <param name="RedirectUri">The default redirect URI.</param>
/// <param name="UsesPkce">True when the authorize URL carries a PKCE challenge.</param>
/// <param name="FileName">The file name for an e-mail.</param>
public sealed record LoginProvider(string Key, string StartRoute, string Alias, string CallbackPath, string Type, string RedirectUri, bool UsesPkce,
    Func<string, string> FileName)
{
    /// <summary>The Codex account id of <see cref="Support.Fakes.FakeAccount"/>'s default.</summary>
    public const string CodexAccountId = "acct_00000000-fake-4000-8000-000000000001";

    /// <summary>The five redirect providers.</summary>
    public static IReadOnlyDictionary<string, LoginProvider> All { get; } = new[]
    {
        new LoginProvider("anthropic", "/anthropic-auth-url", "claude", "/anthropic/callback", "claude", "http://localhost:54545/callback", true,
            e => $"claude-{e}.json"),
        new LoginProvider("codex", "/codex-auth-url", "openai", "/codex/callback", "codex", "http://localhost:1455/auth/callback", true,
            e => $"codex-{Hash8(CodexAccountId)}-{e}-plus.json"),
        new LoginProvider("gemini", "/gemini-cli-auth-url", "google", "/google/callback", "gemini", "http://localhost:8085/oauth2callback", false,
            e => $"gemini-{e}-proj-1.json"),
        new LoginProvider("antigravity", "/antigravity-auth-url", "anti-gravity", "/antigravity/callback", "antigravity", "http://localhost:51121/oauth-callback", false,
            e => $"antigravity-{e}.json"),
        new LoginProvider("iflow", "/iflow-auth-url", "i-flow", "/iflow/callback", "iflow", "http://localhost:11451/oauth2callback", false,
            e => $"iflow-{e}.json"),
    }.ToDictionary(p => p.Key);

    /// <summary>Theory data: every provider key.</summary>
    public static TheoryData<string> Keys => [.. All.Keys];

    /// <summary>The token of a stored credential (Gemini keeps it in <c>token</c>).</summary>
    public string AccessToken(JsonObject file) => (string)(Type == "gemini" ? file["token"]!["access_token"] : file["access_token"])!;

    /// <summary>First 8 hex characters of SHA-256.</summary>
    public static string Hash8(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
}
