using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The file an iFlow OAuth login writes: <c>iflow-&lt;email or phone&gt;.json</c>, sorted and compact.</summary>
public static class IFlowCredential
{
    /// <summary>Builds the credential from the token answer and the user info (<paramref name="identifier"/>: e-mail, else phone).</summary>
    /// <exception cref="MissingIdentityException">Neither e-mail nor phone.</exception>
    public static LoginCredential Build(TokenGrant grant, string identifier, string apiKey, DateTimeOffset now)
    {
        if (identifier.Trim().Length == 0) throw new MissingIdentityException("user info has neither e-mail nor phone");
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["api_key"] = apiKey,
            ["cookie"] = "",
            ["email"] = identifier.Trim(),
            ["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)),
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = grant.RefreshToken,
            ["scope"] = grant.Scope,
            ["token_type"] = grant.TokenType,
            ["type"] = "iflow",
        });
        return new LoginCredential($"iflow-{identifier.Trim()}.json", json);
    }
}
