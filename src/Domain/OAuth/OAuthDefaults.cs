namespace CliProxy.Domain.OAuth;

/// <summary>The reference's upstream endpoints and client registrations, the defaults of <see cref="OAuthEndpoints"/>.</summary>
public static class OAuthDefaults
{
    private const string GoogleToken = "https://oauth2.googleapis.com/token";
    private const string GoogleUserInfo = "https://www.googleapis.com/oauth2/v1/userinfo?alt=json";
    private const string CloudCode = "https://cloudcode-pa.googleapis.com";

    /// <summary>The defaults of session provider <paramref name="provider"/> (<see cref="OAuthProviders"/>).</summary>
    /// <exception cref="ArgumentException">Not a provider of <see cref="OAuthProviders.All"/>.</exception>
    public static OAuthEndpoints For(string provider) => provider switch
    {
        OAuthProviders.Anthropic => new()
        {
            AuthorizeUrl = "https://claude.ai/oauth/authorize",
            TokenUrl = "https://api.anthropic.com/v1/oauth/token",
            ClientId = "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
            RedirectUri = "http://localhost:54545/callback",
        },
        OAuthProviders.Codex => new()
        {
            AuthorizeUrl = "https://auth.openai.com/oauth/authorize",
            TokenUrl = "https://auth.openai.com/oauth/token",
            ClientId = "app_EMoamEEZ73f0CkXaXp7hrann",
            RedirectUri = "http://localhost:1455/auth/callback",
        },
        OAuthProviders.Gemini => new()
        {
            AuthorizeUrl = "https://accounts.google.com/o/oauth2/auth",
            TokenUrl = GoogleToken,
            UserInfoUrl = GoogleUserInfo,
            CloudCodeBaseUrl = CloudCode,
            ResourceManagerUrl = "https://cloudresourcemanager.googleapis.com/v1/projects",
            ServiceUsageUrl = "https://serviceusage.googleapis.com",
            ClientId = "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
            ClientSecret = "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",
            RedirectUri = "http://localhost:8085/oauth2callback",
        },
        OAuthProviders.Antigravity => new()
        {
            AuthorizeUrl = "https://accounts.google.com/o/oauth2/v2/auth",
            TokenUrl = GoogleToken,
            UserInfoUrl = GoogleUserInfo,
            CloudCodeBaseUrl = CloudCode,
            ClientId = "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com",
            ClientSecret = "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",
            RedirectUri = "http://localhost:51121/oauth-callback",
        },
        OAuthProviders.Qwen => new()
        {
            DeviceCodeUrl = "https://chat.qwen.ai/api/v1/oauth2/device/code",
            TokenUrl = "https://chat.qwen.ai/api/v1/oauth2/token",
            ClientId = "f0304373b74a44d2b584a3fb70ca9e56",
        },
        OAuthProviders.Kimi => new()
        {
            DeviceCodeUrl = "https://auth.kimi.com/api/oauth/device_authorization",
            TokenUrl = "https://auth.kimi.com/api/oauth/token",
            ClientId = "17e5f671-d194-4dfb-9706-5516cb48c098",
        },
        OAuthProviders.IFlow => new()
        {
            AuthorizeUrl = "https://iflow.cn/oauth",
            TokenUrl = "https://iflow.cn/oauth/token",
            UserInfoUrl = "https://iflow.cn/api/oauth/getUserInfo",
            ApiKeyUrl = "https://platform.iflow.cn/api/openapi/apikey",
            ClientId = "10009311001",
            ClientSecret = "4Z3YjXycVsQvyGF1etiNlIBB4RsqSDtW",
            RedirectUri = "http://localhost:11451/oauth2callback",
        },
        _ => throw new ArgumentException($"unknown oauth provider '{provider}'", nameof(provider)),
    };
}
