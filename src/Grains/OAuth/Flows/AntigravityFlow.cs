using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// Antigravity: Google authorization code, user info (an e-mail is required), then a best-effort
/// project lookup through Cloud Code; writes <c>antigravity-&lt;email&gt;.json</c>.
/// </summary>
public sealed class AntigravityFlow : IOAuthRedirectFlow
{
    /// <summary>Most <c>onboardUser</c> attempts of the project lookup.</summary>
    public const int MaxOnboardAttempts = 5;

    private static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/userinfo.email",
        "https://www.googleapis.com/auth/userinfo.profile",
        "https://www.googleapis.com/auth/cclog",
        "https://www.googleapis.com/auth/experimentsandconfigs",
    ];

    /// <inheritdoc />
    public string Provider => OAuthProviders.Antigravity;

    /// <inheritdoc />
    public string TimeoutMessage => "OAuth flow timed out";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save token to file";

    /// <inheritdoc />
    public Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken) =>
        Task.FromResult(new OAuthFlowStart(GoogleOAuth.AuthorizeUrlFor(context, Scopes)));

    /// <inheritdoc />
    public async Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken)
    {
        if (error.Length > 0) throw new OAuthLoginFailure("Authentication failed");
        if (code.Length == 0) throw new OAuthLoginFailure("Authentication failed: code not found");
        var grant = await GoogleOAuth.ExchangeAsync(context, code, cancellationToken);
        var now = context.Time.GetUtcNow();
        string email;
        try
        {
            email = await GoogleOAuth.EmailAsync(context, grant.AccessToken, cancellationToken);
        }
        catch (OAuthLoginFailure e)
        {
            throw new OAuthLoginFailure("Failed to fetch user info: " + e.Message, e);
        }
        if (email.Length == 0) throw new OAuthLoginFailure("Failed to fetch user info: no e-mail");
        var project = await LookUpProjectAsync(context, grant.AccessToken, cancellationToken);
        return AntigravityCredential.Build(grant, email, project, now);
    }

    /// <summary>The account's Cloud Code project, or null (the lookup is best effort: a failure is only logged).</summary>
    private static async Task<string?> LookUpProjectAsync(OAuthFlowContext context, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = new JsonObject { ["ideType"] = "ANTIGRAVITY", ["platform"] = "PLATFORM_UNSPECIFIED", ["pluginType"] = "GEMINI" };
            var loaded = await CallAsync(context, accessToken, "loadCodeAssist", new JsonObject { ["metadata"] = metadata }, cancellationToken);
            if (GoogleOAuth.ProjectOf(loaded["cloudaicompanionProject"]) is { Length: > 0 } project) return project;
            var body = new JsonObject { ["tierId"] = GoogleOAuth.DefaultTier(loaded), ["metadata"] = metadata.DeepClone() };
            for (var attempt = 1; attempt <= MaxOnboardAttempts; attempt++)
            {
                var answer = await CallAsync(context, accessToken, "onboardUser", body, cancellationToken);
                if (answer["done"] is JsonValue d && d.TryGetValue<bool>(out var done) && done)
                    return GoogleOAuth.ProjectOf((answer["response"] as JsonObject)?["cloudaicompanionProject"]) is { Length: > 0 } p ? p : null;
                if (attempt < MaxOnboardAttempts) await Task.Delay(TimeSpan.FromSeconds(2), context.Time, cancellationToken);
            }
        }
        catch (OAuthLoginFailure e)
        {
            context.Logger.LogWarning("Antigravity project lookup failed: {Error}", e.Message);
        }
        return null;
    }

    private static async Task<JsonObject> CallAsync(OAuthFlowContext context, string accessToken, string method, JsonObject body, CancellationToken cancellationToken)
    {
        var url = $"{context.Endpoints.CloudCodeBaseUrl.TrimEnd('/')}/v1internal:{method}";
        var answer = await FlowSteps.Call(method, () => context.Http.PostJsonAsync(url, body, cancellationToken, GoogleOAuth.Bearer(accessToken, h =>
        {
            h.UserAgent.ParseAdd("google-api-nodejs-client/9.15.1");
            h.TryAddWithoutValidation("X-Goog-Api-Client", "google-cloud-sdk vscode_cloudshelleditor/0.1");
            h.TryAddWithoutValidation("Client-Metadata", "{\"ideType\":\"IDE_UNSPECIFIED\",\"platform\":\"PLATFORM_UNSPECIFIED\",\"pluginType\":\"GEMINI\"}");
        })), cancellationToken);
        return answer.Json!;
    }
}
