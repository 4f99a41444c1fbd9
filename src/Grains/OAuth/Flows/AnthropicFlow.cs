using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>Claude: PKCE authorization code, exchanged as JSON; writes <c>claude-&lt;email&gt;.json</c>.</summary>
public sealed class AnthropicFlow : IOAuthRedirectFlow
{
    private const string Scope = "org:create_api_key user:profile user:inference";

    /// <inheritdoc />
    public string Provider => OAuthProviders.Anthropic;

    /// <inheritdoc />
    public string TimeoutMessage => "Timeout waiting for OAuth callback";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save authentication tokens";

    /// <inheritdoc />
    public Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var pkce = Pkce.Create();
        context.Data[FlowData.Verifier] = pkce.Verifier;
        var e = context.Endpoints;
        return Task.FromResult(new OAuthFlowStart(AuthorizeUrl.Build(e.AuthorizeUrl, new Dictionary<string, string>
        {
            ["client_id"] = e.ClientId,
            ["code"] = "true",
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
            ["redirect_uri"] = e.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = Scope,
            ["state"] = context.State,
        })));
    }

    /// <inheritdoc />
    public async Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken)
    {
        if (error.Length > 0) throw new OAuthLoginFailure("Bad request");
        // Claude's manual page shows "code#state".
        code = code.Split('#')[0];
        var e = context.Endpoints;
        var answer = await FlowSteps.Call("Failed to exchange authorization code for tokens", () => context.Http.PostJsonAsync(e.TokenUrl, new JsonObject
        {
            ["code"] = code,
            ["state"] = context.State,
            ["grant_type"] = "authorization_code",
            ["client_id"] = e.ClientId,
            ["redirect_uri"] = e.RedirectUri,
            ["code_verifier"] = context.Data[FlowData.Verifier],
        }, cancellationToken), cancellationToken, a => a.Status == 200 && a.Json is not null);
        var grant = TokenGrant.From(answer.Json!);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure("Failed to exchange authorization code for tokens: no access token");
        return ClaudeCredential.Build(grant, context.Time.GetUtcNow());
    }
}
