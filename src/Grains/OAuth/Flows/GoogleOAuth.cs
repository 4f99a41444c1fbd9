using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>The Google steps shared by Gemini CLI and Antigravity: the authorize URL, the code exchange and user info.</summary>
public static class GoogleOAuth
{
    /// <summary>The Google authorize URL (offline access, consent prompt, no PKCE).</summary>
    public static string AuthorizeUrlFor(OAuthFlowContext context, IEnumerable<string> scopes)
    {
        var e = context.Endpoints;
        return AuthorizeUrl.Build(e.AuthorizeUrl, new Dictionary<string, string>
        {
            ["access_type"] = "offline",
            ["client_id"] = e.ClientId,
            ["prompt"] = "consent",
            ["redirect_uri"] = e.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = string.Join(' ', scopes),
            ["state"] = context.State,
        });
    }

    /// <summary>Exchanges <paramref name="code"/> (client credentials in the form); any 2xx with an access token is accepted.</summary>
    /// <exception cref="OAuthLoginFailure"><c>Failed to exchange token</c> with the cause.</exception>
    public static async Task<TokenGrant> ExchangeAsync(OAuthFlowContext context, string code, CancellationToken cancellationToken)
    {
        var e = context.Endpoints;
        var answer = await FlowSteps.Call("Failed to exchange token", () => context.Http.PostFormAsync(e.TokenUrl, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = e.RedirectUri,
            ["client_id"] = e.ClientId,
            ["client_secret"] = e.ClientSecret,
        }, cancellationToken), cancellationToken);
        var grant = TokenGrant.From(answer.Json!);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure("Failed to exchange token: no access token");
        return grant;
    }

    /// <summary>The account's e-mail from user info ("" when the answer has none).</summary>
    /// <exception cref="OAuthLoginFailure"><c>Failed to execute request</c>, or <c>Get user info request failed with status N</c>.</exception>
    public static async Task<string> EmailAsync(OAuthFlowContext context, string accessToken, CancellationToken cancellationToken)
    {
        var answer = await FlowSteps.Call("Failed to execute request", () => context.Http.GetJsonAsync(context.Endpoints.UserInfoUrl, cancellationToken, Bearer(accessToken)),
            cancellationToken, _ => true);
        if (!answer.IsSuccess) throw new OAuthLoginFailure($"Get user info request failed with status {answer.Status}");
        return TokenGrant.Text(answer.Json, "email");
    }

    /// <summary>Sets <c>Authorization: Bearer</c>.</summary>
    public static Action<HttpRequestHeaders> Bearer(string accessToken, Action<HttpRequestHeaders>? more = null) => h =>
    {
        h.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        more?.Invoke(h);
    };

    /// <summary>A Cloud Code project value: a string or <c>{"id": …}</c>; "" otherwise.</summary>
    public static string ProjectOf(JsonNode? value) => value switch
    {
        JsonObject o => TokenGrant.Text(o, "id"),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Trim(),
        _ => "",
    };

    /// <summary>The id of the first allowed tier marked default, else <c>legacy-tier</c>.</summary>
    public static string DefaultTier(JsonObject? loadCodeAssist)
    {
        foreach (var tier in (loadCodeAssist?["allowedTiers"] as JsonArray ?? []).OfType<JsonObject>())
            if (tier["isDefault"] is JsonValue d && d.TryGetValue<bool>(out var isDefault) && isDefault && TokenGrant.Text(tier, "id") is { Length: > 0 } id)
                return id;
        return "legacy-tier";
    }
}
