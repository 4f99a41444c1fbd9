using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Anthropic Messages upstreams, API keys and OAuth (the reference's <c>claude_executor*.go</c>):
/// <c>{base}/v1/messages?beta=true</c> and <c>{base}/v1/messages/count_tokens?beta=true</c>, the model rewritten.
/// An API key goes in <c>x-api-key</c> on Anthropic's API (the default base URL, or a base-url on
/// <c>anthropic.com</c>) and as <c>Authorization: Bearer</c> elsewhere (relays); an OAuth token always as Bearer
/// with the <c>oauth-2025-04-20</c> and <c>claude-code-20250219</c> betas merged into the client's
/// <c>anthropic-beta</c>; betas a client put in its body's <c>betas</c> move to that header. <c>anthropic-version</c>
/// is the client's or <c>2023-06-01</c>. Every request carries Claude Code's identity headers
/// (<see cref="ClaudeIdentityHeaders"/>: the client's, else <c>claude-header-defaults</c>, else the reference's values);
/// the credential's own <c>headers</c> win over all. A client that is not Claude Code gets its body cloaked
/// (<see cref="ClaudeCloak"/>: identity line, user id, sensitive words) unless the key's <c>cloak.mode</c> is
/// <c>never</c>; a <c>count_tokens</c> body always gets the identity line. The reference's tool renames for OAuth tokens
/// (<c>proxy_</c> prefixes, stripped again from answers) are not reproduced: answers pass through unchanged.
/// </summary>
public sealed class ClaudeExecutor(UpstreamOptions options) : IUpstreamExecutor
{
    /// <summary>The beta every OAuth request declares.</summary>
    public const string OAuthBeta = "oauth-2025-04-20";

    /// <summary>The Claude Code beta that leads an OAuth request's betas.</summary>
    public const string ClaudeCodeBeta = "claude-code-20250219";

    /// <summary>The API version sent when the client sent none.</summary>
    public const string DefaultVersion = "2023-06-01";

    private readonly UpstreamUrls _urls = new();

    /// <inheritdoc />
    public bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == UpstreamProviders.Claude && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    public UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel)
    {
        var baseUrl = options.BaseUrl(credential, UpstreamProviders.Claude);
        var countTokens = call.Protocol == ClientProtocol.ClaudeCountTokens;
        var url = _urls.Of(baseUrl, countTokens ? "/v1/messages/count_tokens?beta=true" : "/v1/messages?beta=true");
        var oauth = credential.Secret is UpstreamSecret.AuthFile;
        var headers = new UpstreamHeaders()
            .SetAll(ClaudeIdentityHeaders.Of(call.Headers, credential.Claude.HeaderDefaults))
            .Set("Content-Type", "application/json")
            .Set("Accept", call.Stream && !countTokens ? "text/event-stream" : "application/json")
            .Set("anthropic-version", UpstreamHeaders.Find(call.Headers, "anthropic-version") ?? DefaultVersion);
        if (!oauth && UsesApiKeyHeader(credential)) headers.Set("x-api-key", secret);
        else headers.Set("Authorization", "Bearer " + secret);
        // The reference's order: the model, the cloak, the payload rules, then the body's betas into the header.
        var body = JsonBody.SetString(call.Body, "model", upstreamModel);
        if (countTokens) body = ClaudeCloak.WithIdentity(body, upstreamModel); // every count, as the reference's CountTokens
        else if (ClaudeCloak.Applies(credential.Claude.Cloak, UpstreamHeaders.Find(call.Headers, "User-Agent")))
            body = ClaudeCloak.Apply(body, credential.Claude.Cloak, upstreamModel, secret);
        (var bodyBetas, body) = TakeBodyBetas(call.BodyRules(body));
        var betas = Betas(UpstreamHeaders.Find(call.Headers, "anthropic-beta"), bodyBetas, oauth);
        if (betas.Length > 0) headers.Set("anthropic-beta", betas);
        headers.SetAll(credential.Headers);
        return new UpstreamRequest(url, headers.ToList(), body);
    }

    /// <inheritdoc />
    public IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream) => new ClaudeUsageScanner();

    /// <summary>
    /// The <c>anthropic-beta</c> value: the client's header betas, then those of its body's <c>betas</c>, with the OAuth
    /// pair in front for OAuth tokens (no duplicates).
    /// </summary>
    public static string Betas(string? client, IEnumerable<string> fromBody, bool oauth)
    {
        var betas = (client ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(fromBody).Distinct().ToList();
        if (oauth)
        {
            if (!betas.Contains(OAuthBeta)) betas.Insert(betas.FirstOrDefault() == ClaudeCodeBeta ? 1 : 0, OAuthBeta);
            if (!betas.Contains(ClaudeCodeBeta)) betas.Insert(0, ClaudeCodeBeta);
        }
        return string.Join(',', betas);
    }

    /// <summary>
    /// A body's top-level <c>betas</c> (an array of strings, or one string), which the Messages API does not take in the
    /// body: the betas for the header and the body without the member (the reference's <c>extractAndRemoveBetas</c>).
    /// </summary>
    private static (IReadOnlyList<string> Betas, ReadOnlyMemory<byte> Body) TakeBodyBetas(ReadOnlyMemory<byte> body)
    {
        if (JsonBody.Get(body.Span, "betas") is not { } raw) return ([], body);
        var betas = JsonNode.Parse(raw) switch
        {
            JsonArray items => items.Select(i => i?.GetValueKind() == JsonValueKind.String ? i.GetValue<string>().Trim() : "").ToList(),
            JsonValue one when one.GetValueKind() == JsonValueKind.String => [one.GetValue<string>().Trim()],
            _ => [],
        };
        return (betas.Where(b => b.Length > 0).ToList(), JsonBody.Remove(body, "betas"));
    }

    /// <summary>Whether an API key goes in <c>x-api-key</c>: on the provider default (Anthropic, or its configured stand-in) or an anthropic.com base-url.</summary>
    private static bool UsesApiKeyHeader(UpstreamCredential credential) =>
        string.IsNullOrWhiteSpace(credential.BaseUrl)
        || (Uri.TryCreate(credential.BaseUrl.Trim(), UriKind.Absolute, out var uri)
            && (uri.Host.Equals("anthropic.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".anthropic.com", StringComparison.OrdinalIgnoreCase)));
}
