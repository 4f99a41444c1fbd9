using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// The file a Qwen login writes, sorted and compact: <c>qwen-&lt;account&gt;.json</c> when the access token
/// names the account (<see cref="DeviceAccount"/>), else the reference's <c>qwen-&lt;unixMillis&gt;.json</c>;
/// <c>email</c> holds the same account (or millisecond) text, as in the reference.
/// </summary>
public static class QwenCredential
{
    /// <summary>Builds the credential from the device-code token answer (<c>resource_url</c> kept).</summary>
    public static LoginCredential Build(TokenGrant grant, DateTimeOffset now)
    {
        var account = DeviceAccount.FromAccessToken(grant.AccessToken);
        if (account.Length == 0) account = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["email"] = account,
            ["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)),
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = grant.RefreshToken,
            ["resource_url"] = TokenGrant.Text(grant.Raw, "resource_url"),
            ["type"] = "qwen",
        });
        return new LoginCredential($"qwen-{account}.json", json);
    }
}
