namespace CliProxy.Domain.OAuth;

/// <summary>
/// The upstream endpoints and client registration of one provider: the settings
/// <c>OAuth:Providers:&lt;provider&gt;:&lt;Setting&gt;</c>. A provider uses the ones its flow needs; the
/// defaults are the reference's values (<see cref="OAuthDefaults"/>). Plain <c>http://</c> URLs work
/// (tests point them at a fake server on loopback).
/// </summary>
public sealed record OAuthEndpoints
{
    /// <summary>Where the browser is sent to sign in (authorize URL without query).</summary>
    public string AuthorizeUrl { get; init; } = "";

    /// <summary>Token endpoint: code exchange, device-code polling and refresh.</summary>
    public string TokenUrl { get; init; } = "";

    /// <summary>User-info endpoint (Google, iFlow).</summary>
    public string UserInfoUrl { get; init; } = "";

    /// <summary>Device-authorization endpoint (Qwen, Kimi).</summary>
    public string DeviceCodeUrl { get; init; } = "";

    /// <summary>API-key endpoint of the iFlow platform (cookie login).</summary>
    public string ApiKeyUrl { get; init; } = "";

    /// <summary>Base URL of Google's Cloud Code API (<c>/v1internal:&lt;method&gt;</c> is appended).</summary>
    public string CloudCodeBaseUrl { get; init; } = "";

    /// <summary>Google Cloud Resource Manager's project list URL.</summary>
    public string ResourceManagerUrl { get; init; } = "";

    /// <summary>Base URL of Google's Service Usage API.</summary>
    public string ServiceUsageUrl { get; init; } = "";

    /// <summary>OAuth client id.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>OAuth client secret (the public installed-app secret where the provider has one).</summary>
    public string ClientSecret { get; init; } = "";

    /// <summary>The redirect URI registered for the client (sent in the authorize request and the code exchange).</summary>
    public string RedirectUri { get; init; } = "";

    /// <summary>Names of the settings, as they appear in configuration.</summary>
    public static IReadOnlyList<string> SettingNames { get; } =
    [
        nameof(AuthorizeUrl), nameof(TokenUrl), nameof(UserInfoUrl), nameof(DeviceCodeUrl), nameof(ApiKeyUrl), nameof(CloudCodeBaseUrl),
        nameof(ResourceManagerUrl), nameof(ServiceUsageUrl), nameof(ClientId), nameof(ClientSecret), nameof(RedirectUri),
    ];

    /// <summary>A copy with each setting that <paramref name="value"/> returns non-empty for replaced (trimmed).</summary>
    public OAuthEndpoints Override(Func<string, string?> value)
    {
        string Pick(string name, string current) => value(name)?.Trim() is { Length: > 0 } v ? v : current;
        return new OAuthEndpoints
        {
            AuthorizeUrl = Pick(nameof(AuthorizeUrl), AuthorizeUrl),
            TokenUrl = Pick(nameof(TokenUrl), TokenUrl),
            UserInfoUrl = Pick(nameof(UserInfoUrl), UserInfoUrl),
            DeviceCodeUrl = Pick(nameof(DeviceCodeUrl), DeviceCodeUrl),
            ApiKeyUrl = Pick(nameof(ApiKeyUrl), ApiKeyUrl),
            CloudCodeBaseUrl = Pick(nameof(CloudCodeBaseUrl), CloudCodeBaseUrl),
            ResourceManagerUrl = Pick(nameof(ResourceManagerUrl), ResourceManagerUrl),
            ServiceUsageUrl = Pick(nameof(ServiceUsageUrl), ServiceUsageUrl),
            ClientId = Pick(nameof(ClientId), ClientId),
            ClientSecret = Pick(nameof(ClientSecret), ClientSecret),
            RedirectUri = Pick(nameof(RedirectUri), RedirectUri),
        };
    }
}
