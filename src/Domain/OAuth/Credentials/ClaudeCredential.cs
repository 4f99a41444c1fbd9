using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The file a Claude login writes: <c>claude-&lt;email&gt;.json</c>, sorted and compact.</summary>
public static class ClaudeCredential
{
    /// <summary>Builds the credential from the token answer (e-mail at <c>account.email_address</c>).</summary>
    /// <exception cref="MissingIdentityException">The answer has no e-mail (the reference wrote <c>claude-.json</c>).</exception>
    public static LoginCredential Build(TokenGrant grant, DateTimeOffset now)
    {
        var email = TokenGrant.Text(grant.Raw["account"] as JsonObject, "email_address");
        if (email.Length == 0) throw new MissingIdentityException("token response has no account e-mail");
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["email"] = email,
            ["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)),
            ["id_token"] = "",
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = grant.RefreshToken,
            ["type"] = "claude",
        });
        return new LoginCredential($"claude-{email}.json", json);
    }
}
