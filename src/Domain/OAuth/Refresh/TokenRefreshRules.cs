using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.OAuth.Credentials;

namespace CliProxy.Domain.OAuth.Refresh;

/// <summary>What a credential holds for its access token: the token, the refresh token, the expiry, and who refreshes it.</summary>
/// <param name="Provider">The login provider whose token endpoint refreshes it (<see cref="OAuthProviders"/>), or null when the credential is not refreshed.</param>
/// <param name="AccessToken">The current access token ("" when none).</param>
/// <param name="RefreshToken">The refresh token ("" when none).</param>
/// <param name="ExpiresAt">When the access token expires; null when unknown (then it is used as is).</param>
public sealed record CredentialTokenState(string? Provider, string AccessToken, string RefreshToken, DateTimeOffset? ExpiresAt);

/// <summary>
/// The pure rules of refreshing a credential's access token (the credential's grain does the I/O):
/// which provider refreshes a file <c>type</c>, where its token and expiry are (Gemini: the nested
/// <c>token</c> object; others: top-level <c>access_token</c>, <c>refresh_token</c>, <c>expired</c>, or
/// <c>timestamp</c> + <c>expires_in</c>), when a refresh is due (expired or expiring within
/// <see cref="Skew"/>), and which values a refresh answer writes back.
/// </summary>
public static class TokenRefreshRules
{
    /// <summary>A token expiring within this is refreshed before use (30 s, the reference's Antigravity margin).</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    /// <summary>The provider that refreshes credentials of file <paramref name="type"/>; null for types without refresh (API keys, cookies, Vertex).</summary>
    public static string? ProviderOf(string type) => type.Trim().ToLowerInvariant() switch
    {
        "claude" => OAuthProviders.Anthropic,
        "codex" => OAuthProviders.Codex,
        "gemini" or "gemini-cli" => OAuthProviders.Gemini,
        "antigravity" => OAuthProviders.Antigravity,
        "qwen" => OAuthProviders.Qwen,
        "kimi" => OAuthProviders.Kimi,
        "iflow" => OAuthProviders.IFlow,
        _ => null,
    };

    /// <summary>Reads the token state of the credential text <paramref name="json"/> (not a JSON object: nothing).</summary>
    public static CredentialTokenState Read(string json)
    {
        if (JsonText.ParseObject(json) is not { } o) return new(null, "", "", null);
        var provider = ProviderOf(TokenGrant.Text(o, "type"));
        if (provider == OAuthProviders.Gemini && o["token"] is JsonObject token)
            return new(provider, TokenGrant.Text(token, "access_token"), TokenGrant.Text(token, "refresh_token"), Time(token["expiry"]));
        var refresh = TokenGrant.Text(o, "refresh_token");
        var expires = Time(o["expired"]);
        if (expires is null && TokenGrant.Number(o, "timestamp") is > 0 and var ms && TokenGrant.Number(o, "expires_in") is > 0 and var seconds)
            expires = DateTimeOffset.FromUnixTimeMilliseconds(ms).AddSeconds(seconds);
        var access = TokenGrant.Text(o, "access_token");
        return new(refresh.Length > 0 ? provider : null, access.Length > 0 ? access : CredentialTokens.AccessToken(json), refresh, expires);
    }

    /// <summary>True when <paramref name="s"/> can be refreshed and its token is missing, expired or expires within <see cref="Skew"/>.</summary>
    public static bool NeedsRefresh(CredentialTokenState s, DateTimeOffset now) =>
        s.Provider is not null && s.RefreshToken.Length > 0 && (s.AccessToken.Length == 0 || s.ExpiresAt is { } at && at - now <= Skew);

    /// <summary>
    /// The top-level values (JSON texts, for <c>IAuthFileGrain.MergeValues</c>) that store a refresh answer in the
    /// credential <paramref name="json"/>: the new access token, the refresh token when the provider rotated it,
    /// and the expiry in the credential's own layout (Gemini: the merged <c>token</c> object with <c>expiry</c>;
    /// others: <c>expired</c>, plus <c>last_refresh</c>, <c>timestamp</c> and <c>expires_in</c> where the file has them).
    /// </summary>
    public static Dictionary<string, string> Apply(string json, TokenGrant grant, DateTimeOffset now)
    {
        var o = JsonText.ParseObject(json) ?? [];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, JsonNode? value) => values[key] = value?.ToJsonString() ?? "null";
        if (ProviderOf(TokenGrant.Text(o, "type")) == OAuthProviders.Gemini && o["token"] is JsonObject old)
        {
            var token = (JsonObject)old.DeepClone();
            token["access_token"] = grant.AccessToken;
            if (grant.RefreshToken.Length > 0) token["refresh_token"] = grant.RefreshToken;
            if (grant.TokenType.Length > 0) token["token_type"] = grant.TokenType;
            if (grant.ExpiresIn > 0)
            {
                token["expiry"] = LoginCredential.PreciseTime(now.AddSeconds(grant.ExpiresIn));
                token["expires_in"] = grant.ExpiresIn;
            }
            Set("token", token);
            return values;
        }
        Set("access_token", grant.AccessToken);
        if (grant.RefreshToken.Length > 0) Set("refresh_token", grant.RefreshToken);
        if (grant.ExpiresIn > 0)
        {
            Set("expired", LoginCredential.Time(now.AddSeconds(grant.ExpiresIn)));
            if (o.ContainsKey("expires_in")) Set("expires_in", grant.ExpiresIn);
            if (o.ContainsKey("timestamp")) Set("timestamp", now.ToUnixTimeMilliseconds());
        }
        if (o.ContainsKey("last_refresh")) Set("last_refresh", LoginCredential.Time(now));
        return values;
    }

    private static DateTimeOffset? Time(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.GetValueKind() == JsonValueKind.String)
            return DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        if (v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) && n > 0)
            return n > 1_000_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
        return null;
    }
}
