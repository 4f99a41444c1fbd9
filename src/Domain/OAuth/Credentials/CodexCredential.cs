using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// The file a Codex login writes, sorted and compact: <c>codex-&lt;hash8&gt;-&lt;email&gt;[-&lt;plan&gt;].json</c>
/// where hash8 is of the ChatGPT account id (as upstream now names every plan), so two accounts that
/// share an e-mail and plan never overwrite each other; <c>codex-&lt;email&gt;[-&lt;plan&gt;].json</c> when the
/// token names no account.
/// </summary>
public static class CodexCredential
{
    /// <summary>Builds the credential from the token answer and its id_token claims.</summary>
    /// <exception cref="MissingIdentityException">The id_token carries no e-mail.</exception>
    public static LoginCredential Build(TokenGrant grant, DateTimeOffset now)
    {
        var claims = CodexIdToken.Parse(grant.IdToken);
        if (claims.Email.Length == 0) throw new MissingIdentityException("id_token has no e-mail");
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["account_id"] = claims.AccountId,
            ["email"] = claims.Email,
            ["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)),
            ["id_token"] = grant.IdToken,
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = grant.RefreshToken,
            ["type"] = "codex",
        });
        return new LoginCredential(FileName(claims), json);
    }

    /// <summary>The file name for <paramref name="claims"/> (see the class).</summary>
    public static string FileName(CodexIdToken claims)
    {
        var hash = claims.AccountHash.Length > 0 ? claims.AccountHash + "-" : "";
        var plan = claims.PlanPart.Length > 0 ? "-" + claims.PlanPart : "";
        return $"codex-{hash}{claims.Email}{plan}.json";
    }
}
