using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// iFlow OAuth: authorization code (parameter <c>redirect</c>, not <c>redirect_uri</c>), exchanged
/// with HTTP Basic client authentication, then user info with the API key; writes
/// <c>iflow-&lt;email or phone&gt;.json</c>. Every failure records <c>Authentication failed</c> (with the cause).
/// </summary>
public sealed class IFlowFlow : IOAuthRedirectFlow
{
    private const string Failed = "Authentication failed";

    /// <inheritdoc />
    public string Provider => OAuthProviders.IFlow;

    /// <inheritdoc />
    public string TimeoutMessage => Failed;

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save authentication tokens";

    /// <inheritdoc />
    public Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var e = context.Endpoints;
        return Task.FromResult(new OAuthFlowStart(AuthorizeUrl.Build(e.AuthorizeUrl, new Dictionary<string, string>
        {
            ["client_id"] = e.ClientId,
            ["loginMethod"] = "phone",
            ["redirect"] = e.RedirectUri,
            ["state"] = context.State,
            ["type"] = "phone",
        })));
    }

    /// <inheritdoc />
    public async Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken)
    {
        if (error.Length > 0) throw new OAuthLoginFailure(Failed);
        if (code.Length == 0) throw new OAuthLoginFailure(Failed + ": code not found");
        var e = context.Endpoints;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(e.ClientId + ":" + e.ClientSecret));
        var token = await FlowSteps.Call(Failed + ": token exchange", () => context.Http.PostFormAsync(e.TokenUrl, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = e.RedirectUri,
            ["client_id"] = e.ClientId,
            ["client_secret"] = e.ClientSecret,
        }, cancellationToken, h => h.Authorization = new AuthenticationHeaderValue("Basic", basic)), cancellationToken, a => a.Status == 200 && a.Json is not null);
        var grant = TokenGrant.From(token.Json!);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure(Failed + ": no access token");
        var now = context.Time.GetUtcNow();
        var url = e.UserInfoUrl + (e.UserInfoUrl.Contains('?') ? "&" : "?") + "accessToken=" + Uri.EscapeDataString(grant.AccessToken);
        var info = await FlowSteps.Call(Failed + ": user info", () => context.Http.GetJsonAsync(url, cancellationToken), cancellationToken,
            a => a.Status == 200 && a.Json?["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && ok);
        var data = info.Json!["data"] as JsonObject;
        var apiKey = TokenGrant.Text(data, "apiKey");
        if (apiKey.Length == 0) throw new OAuthLoginFailure(Failed + ": user info has no API key");
        var identifier = TokenGrant.Text(data, "email") is { Length: > 0 } email ? email : TokenGrant.Text(data, "phone");
        return IFlowCredential.Build(grant, identifier, apiKey, now);
    }
}
