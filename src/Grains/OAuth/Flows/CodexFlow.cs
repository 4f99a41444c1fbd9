using System.Collections.Immutable;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>Codex (OpenAI): PKCE authorization code, exchanged as a form; the id_token names the file.</summary>
public sealed class CodexFlow : IOAuthRedirectFlow
{
    private const string Scope = "openid email profile offline_access";

    /// <inheritdoc />
    public string Provider => OAuthProviders.Codex;

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
            ["codex_cli_simplified_flow"] = "true",
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
            ["id_token_add_organizations"] = "true",
            ["prompt"] = "login",
            ["redirect_uri"] = e.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = Scope,
            ["state"] = context.State,
        })));
    }

    /// <inheritdoc />
    public async Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken)
    {
        if (error.Length > 0) throw new OAuthLoginFailure("Bad Request");
        var e = context.Endpoints;
        var answer = await FlowSteps.Call("Failed to exchange authorization code for tokens", () => context.Http.PostFormAsync(e.TokenUrl, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = e.ClientId,
            ["code"] = code,
            ["redirect_uri"] = e.RedirectUri,
            ["code_verifier"] = context.Data[FlowData.Verifier],
        }, cancellationToken), cancellationToken, a => a.Status == 200 && a.Json is not null);
        var grant = TokenGrant.From(answer.Json!);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure("Failed to exchange authorization code for tokens: no access token");
        return CodexCredential.Build(grant, context.Time.GetUtcNow());
    }
}
