using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>The fake providers' endpoints.</summary>
public sealed partial class FakeOAuthServer
{
    private void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapPost("/{provider}/token", Token);
        MapDeviceEndpoints(app);
        MapIFlowPlatform(app);
        app.MapGet("/google/userinfo", (HttpContext http) => Recorded(http, null, () =>
            Bearer(http) is { } account ? Json(account.Email.Length > 0 ? new JsonObject { ["email"] = account.Email } : []) : Results.StatusCode(401)));
        app.MapPost("/cloudcode/{*method}", CloudCode);
        app.MapGet("/resourcemanager/v1/projects", (HttpContext http) => Recorded(http, null, () => Bearer(http) is { } account
            ? Json(new JsonObject { ["projects"] = new JsonArray([.. account.ProjectList.Select(p => (JsonNode)new JsonObject { ["projectId"] = p })]) })
            : Results.StatusCode(401)));
        app.MapGet("/serviceusage/v1/projects/{project}/services/{service}", (HttpContext http) => Recorded(http, null, () =>
            Bearer(http) is null ? Results.StatusCode(401) : Json(new JsonObject { ["state"] = "ENABLED" })));
        app.MapGet("/iflow/userinfo", (HttpContext http) => Recorded(http, null, () =>
            _tokens.TryGetValue(http.Request.Query["accessToken"].ToString(), out var account)
                ? Json(new JsonObject { ["success"] = true, ["data"] = new JsonObject { ["apiKey"] = account.ApiKey, ["email"] = account.Email, ["phone"] = account.Phone } })
                : Json(new JsonObject { ["success"] = false, ["message"] = "invalid token" })));
    }

    private async Task<IResult> Token(HttpContext http, string provider)
    {
        var fields = await FieldsAsync(http.Request);
        Record(http, fields);
        if (TokenDelay > TimeSpan.Zero) await Task.Delay(TokenDelay, http.RequestAborted);
        if (TokenFailure is { } failure) return Json(new JsonObject { ["error"] = "server_error" }, failure);
        if (fields.GetValueOrDefault("grant_type") == "urn:ietf:params:oauth:grant-type:device_code") return DeviceToken(provider, fields);
        if (fields.GetValueOrDefault("grant_type") == "refresh_token") return await RefreshToken(http, provider, fields);
        if (fields.GetValueOrDefault("grant_type") != "authorization_code") return Refuse("unsupported_grant_type");
        if (!_codes.TryRemove(fields.GetValueOrDefault("code", ""), out var issued)) return Refuse("invalid_grant: unknown or used code");
        if (issued.Provider != provider) return Refuse("invalid_grant: code of another provider");
        var defaults = OAuthDefaults.For(provider);
        if (fields.GetValueOrDefault("client_id") != issued.ClientId || issued.ClientId != defaults.ClientId) return Refuse("invalid_client");
        if (fields.GetValueOrDefault("redirect_uri") != issued.RedirectUri) return Refuse("invalid_grant: redirect_uri mismatch");
        if (issued.Challenge is { } challenge && Pkce.ChallengeOf(fields.GetValueOrDefault("code_verifier", "")) != challenge)
            return Refuse("invalid_grant: PKCE verifier does not match the challenge");
        if (defaults.ClientSecret.Length > 0 && fields.GetValueOrDefault("client_secret") != defaults.ClientSecret) return Refuse("invalid_client: secret");
        if (provider == OAuthProviders.IFlow
            && http.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(defaults.ClientId + ":" + defaults.ClientSecret)))
            return Refuse("invalid_client: basic");
        var account = issued.Account;
        var answer = IssueTokens(provider, account, $"at-{provider}-{Guid.NewGuid():N}");
        switch (provider)
        {
            case OAuthProviders.Anthropic:
                answer["organization"] = new JsonObject { ["uuid"] = "org-1", ["name"] = "Org" };
                answer["account"] = account.Email.Length > 0 ? new JsonObject { ["uuid"] = "acc-1", ["email_address"] = account.Email } : new JsonObject { ["uuid"] = "acc-1" };
                break;
            case OAuthProviders.Codex:
                answer["id_token"] = IdToken(account, issued.ClientId);
                break;
            case OAuthProviders.IFlow:
                answer["scope"] = "read";
                break;
        }
        return Json(answer);
    }

    /// <summary>A token answer for <paramref name="account"/> with <paramref name="access"/> (remembered for user info) and a new refresh token.</summary>
    private JsonObject IssueTokens(string provider, FakeAccount account, string access)
    {
        _tokens[access] = account;
        var refresh = $"rt-{provider}-{Guid.NewGuid():N}";
        Remember(refresh, provider, account);
        return new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["token_type"] = provider == OAuthProviders.IFlow ? "bearer" : "Bearer",
            ["expires_in"] = 3600,
        };
    }

    private async Task<IResult> CloudCode(HttpContext http, string method)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        Record(http, body.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
        if (Bearer(http) is not { } account) return Results.StatusCode(401);
        var requested = body["cloudaicompanionProject"]?.GetValue<string>();
        var project = requested ?? (account.CompanionProject.Length > 0 ? account.CompanionProject : null);
        return method switch
        {
            "v1internal:loadCodeAssist" => Json(new JsonObject
            {
                ["allowedTiers"] = new JsonArray(new JsonObject { ["id"] = "standard-tier", ["isDefault"] = true }),
                ["cloudaicompanionProject"] = project,
            }),
            "v1internal:onboardUser" => Json(new JsonObject
            {
                ["done"] = true,
                ["response"] = new JsonObject { ["cloudaicompanionProject"] = project is null ? null : new JsonObject { ["id"] = project } },
            }),
            _ => Results.NotFound(),
        };
    }

    /// <summary>An unsigned JWT (<c>alg: none</c>) with Codex's claims, shaped like the one in codex-example.json.</summary>
    private static string IdToken(FakeAccount account, string clientId)
    {
        static string Part(JsonNode node) => Convert.ToBase64String(Encoding.UTF8.GetBytes(node.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(clientId),
            ["iss"] = "https://auth.openai.com",
            ["https://api.openai.com/auth"] = new JsonObject { ["chatgpt_account_id"] = account.AccountId, ["chatgpt_plan_type"] = account.Plan },
        };
        if (account.Email.Length > 0) claims["email"] = account.Email;
        return Part(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Part(claims) + ".";
    }

    private FakeAccount? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.TryGetValue(header["Bearer ".Length..], out var account) ? account : null;
    }

    private IResult Recorded(HttpContext http, Dictionary<string, string>? fields, Func<IResult> answer)
    {
        Record(http, fields ?? []);
        return answer();
    }

    private void Record(HttpContext http, Dictionary<string, string> fields) =>
        Requests.Enqueue(new FakeRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, fields, http.Request.Headers.Authorization.ToString(),
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

    private static async Task<Dictionary<string, string>> FieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType) return (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString());
        var json = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        return json.Where(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
    }

    private static IResult Refuse(string error) => Json(new JsonObject { ["error"] = error }, 400);

    private static IResult Json(JsonObject body, int status = 200) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);
}
