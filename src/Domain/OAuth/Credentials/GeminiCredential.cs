using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The file a Gemini CLI login writes: <c>gemini-&lt;email&gt;-&lt;project&gt;.json</c> (<c>-all</c> for several projects), indented.</summary>
public static class GeminiCredential
{
    /// <summary>The token URI written into the file (Google's, whatever token endpoint the login used).</summary>
    public const string TokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Builds the credential.</summary>
    /// <param name="grant">The token answer.</param>
    /// <param name="email">The account's e-mail from user info.</param>
    /// <param name="projectId">The project, or the comma-joined projects of an ALL login.</param>
    /// <param name="auto">True when the project was picked automatically.</param>
    /// <param name="endpoints">The client id and secret written into the token object.</param>
    /// <param name="scopes">The granted scopes.</param>
    /// <param name="now">The time of the exchange.</param>
    /// <exception cref="MissingIdentityException">No e-mail.</exception>
    public static LoginCredential Build(TokenGrant grant, string email, string projectId, bool auto, OAuthEndpoints endpoints, IEnumerable<string> scopes, DateTimeOffset now)
    {
        if (email.Trim().Length == 0) throw new MissingIdentityException("user info has no e-mail");
        var json = LoginCredential.SortedIndented(new JsonObject
        {
            ["auto"] = auto,
            ["checked"] = true,
            ["email"] = email.Trim(),
            ["project_id"] = projectId,
            ["token"] = new JsonObject
            {
                ["access_token"] = grant.AccessToken,
                ["client_id"] = endpoints.ClientId,
                ["client_secret"] = endpoints.ClientSecret,
                ["expires_in"] = grant.ExpiresIn,
                ["expiry"] = LoginCredential.PreciseTime(now.AddSeconds(grant.ExpiresIn)),
                ["refresh_token"] = grant.RefreshToken,
                ["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)s)]),
                ["token_type"] = grant.TokenType.Length > 0 ? grant.TokenType : "Bearer",
                ["token_uri"] = TokenUri,
                ["universe_domain"] = "googleapis.com",
            },
            ["type"] = "gemini",
        });
        return new LoginCredential(FileName(email.Trim(), projectId), json);
    }

    /// <summary><c>gemini-&lt;email&gt;-&lt;project&gt;.json</c>, or <c>gemini-&lt;email&gt;-all.json</c> when the project is <c>all</c> (any case) or a comma list.</summary>
    public static string FileName(string email, string projectId) =>
        projectId.Equals("all", StringComparison.OrdinalIgnoreCase) || projectId.Contains(',')
            ? $"gemini-{email}-all.json"
            : $"gemini-{email}-{projectId}.json";
}
