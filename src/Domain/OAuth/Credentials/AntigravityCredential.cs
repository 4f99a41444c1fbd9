using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The file an Antigravity login writes: <c>antigravity-&lt;email&gt;.json</c>, sorted and compact, without a trailing newline.</summary>
public static class AntigravityCredential
{
    /// <summary>Builds the credential; <paramref name="projectId"/> is left out when the lookup found none.</summary>
    /// <exception cref="MissingIdentityException">No e-mail (the reference wrote <c>antigravity.json</c>).</exception>
    public static LoginCredential Build(TokenGrant grant, string email, string? projectId, DateTimeOffset now)
    {
        if (email.Trim().Length == 0) throw new MissingIdentityException("user info has no e-mail");
        var fields = new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["disabled"] = false,
            ["email"] = email.Trim(),
            ["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)),
            ["expires_in"] = grant.ExpiresIn,
            ["refresh_token"] = grant.RefreshToken,
            ["timestamp"] = now.ToUnixTimeMilliseconds(),
            ["type"] = "antigravity",
        };
        if (!string.IsNullOrWhiteSpace(projectId)) fields["project_id"] = projectId.Trim();
        return new LoginCredential($"antigravity-{email.Trim()}.json", LoginCredential.SortedCompact(fields, trailingNewline: false));
    }
}
