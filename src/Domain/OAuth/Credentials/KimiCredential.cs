using System.Globalization;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// The file a Kimi login writes, indented: <c>kimi-&lt;account&gt;.json</c> when the access token names the
/// account (<see cref="DeviceAccount"/>), else the reference's <c>kimi-&lt;unixMillis&gt;.json</c>.
/// </summary>
public static class KimiCredential
{
    /// <summary>
    /// Builds the credential: <c>access_token</c>, <c>device_id</c> (left out when empty), <c>expired</c>
    /// (UTC; left out without <c>expires_in</c>), <c>refresh_token</c>, <c>scope</c> (always), <c>timestamp</c>
    /// (Unix ms), <c>token_type</c>, <c>type:"kimi"</c>.
    /// </summary>
    public static LoginCredential Build(TokenGrant grant, string deviceId, DateTimeOffset now)
    {
        var millis = now.ToUnixTimeMilliseconds();
        var fields = new JsonObject
        {
            ["access_token"] = grant.AccessToken,
            ["refresh_token"] = grant.RefreshToken,
            ["scope"] = grant.Scope,
            ["timestamp"] = millis,
            ["token_type"] = grant.TokenType,
            ["type"] = "kimi",
        };
        if (deviceId.Length > 0) fields["device_id"] = deviceId;
        if (grant.ExpiresIn > 0) fields["expired"] = LoginCredential.Time(now.AddSeconds(grant.ExpiresIn));
        var account = DeviceAccount.FromAccessToken(grant.AccessToken);
        if (account.Length == 0) account = millis.ToString(CultureInfo.InvariantCulture);
        return new LoginCredential($"kimi-{account}.json", LoginCredential.SortedIndented(fields));
    }
}
