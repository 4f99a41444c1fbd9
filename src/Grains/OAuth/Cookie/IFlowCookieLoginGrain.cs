using System.Text.Json.Nodes;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.OAuth.Flows;
using CliProxy.Grains.OAuth.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CliProxy.Grains.OAuth.Cookie;

/// <summary>
/// Runs iFlow cookie logins (see <see cref="IIFlowCookieLoginGrain"/>). Corrections of the reference: the
/// duplicate check covers every iFlow credential (not only files named <c>iflow-*.json</c>); a failing
/// platform answers 502 with a short cause, never its raw body (the reference answered 400 with it).
/// </summary>
[StatelessWorker]
public sealed partial class IFlowCookieLoginGrain(
    OAuthSettings settings,
    OAuthHttpClients http,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ILogger<IFlowCookieLoginGrain> logger) : Grain, IIFlowCookieLoginGrain
{
    private const string Prefix = "iflow cookie authentication: ";

    /// <inheritdoc />
    public async Task<CookieLoginResult> Login(string cookie, string proxyUrl)
    {
        if (cookie.Trim().Length == 0) return CookieLoginResult.Refused(RefusalKind.Invalid, "cookie is required");
        if (IFlowCookie.Normalize(cookie) is not { } normal) return CookieLoginResult.Refused(RefusalKind.Invalid, "cookie missing BXAuth field");
        var bxAuth = IFlowCookie.BxAuth(normal);
        if (await DuplicateOf(bxAuth) is { } existing) return CookieLoginResult.Refused(RefusalKind.Conflict, "duplicate BXAuth found", existing);

        var url = settings.For(OAuthProviders.IFlow).ApiKeyUrl;
        var client = http.For(proxyUrl);
        using var limit = new CancellationTokenSource(settings.CompletionTimeout, time);
        try
        {
            var info = await FlowSteps.Call(Prefix + "fetch initial API key info failed",
                () => client.GetJsonAsync(url, limit.Token, h => BrowserHeaders(h, normal)), limit.Token, Succeeded);
            var data = info.Json!["data"] as JsonObject;
            var name = TokenGrant.Text(data, "name");
            var renewed = await FlowSteps.Call(Prefix + "refresh API key failed",
                () => client.PostJsonAsync(url, new JsonObject { ["name"] = name }, limit.Token, h =>
                {
                    BrowserHeaders(h, normal);
                    h.Add("Origin", "https://platform.iflow.cn");
                    h.Add("Referer", "https://platform.iflow.cn/");
                }), limit.Token, Succeeded);
            var key = renewed.Json!["data"] as JsonObject;
            name = TokenGrant.Text(key, "name") is { Length: > 0 } n ? n : name;
            if (name.Length == 0) return CookieLoginResult.Refused(RefusalKind.Invalid, "failed to extract email from token");
            var apiKey = TokenGrant.Text(key, "apiKey") is { Length: > 0 } k ? k : TokenGrant.Text(data, "apiKey") is { Length: > 0 } k2 ? k2 : TokenGrant.Text(data, "apiKeyMask");
            var expired = TokenGrant.Text(key, "expireTime");
            var credential = IFlowCookie.Build(name, apiKey, expired, bxAuth, time.GetUtcNow());
            var stored = await GrainFactory.GetGrain<IAuthFileGrain>(AuthFileKeys.For(credential.FileName)).StoreLogin(credential.Json);
            if (!stored.IsSuccess) return CookieLoginResult.Refused(RefusalKind.WriteFailed, "failed to save authentication tokens");
            LogSaved(credential.FileName);
            return new(null, null, credential.FileName, name, expired);
        }
        catch (OAuthLoginFailure e)
        {
            LogFailed(e.Message);
            return CookieLoginResult.Refused(RefusalKind.UpstreamFailed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return CookieLoginResult.Refused(RefusalKind.UpstreamFailed, Prefix + "request timed out");
        }
    }

    /// <summary>The iFlow credential that holds <paramref name="bxAuth"/> already, or null.</summary>
    private async Task<string?> DuplicateOf(string bxAuth)
    {
        var all = await GrainFactory.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List();
        foreach (var summary in all.Where(s => s.Provider == "iflow"))
        {
            var content = await GrainFactory.GetGrain<IAuthFileGrain>(AuthFileKeys.For(summary.Name)).Get();
            if (content is not null && IFlowCookie.BxAuth(TokenGrant.Text(JsonText.ParseObject(content.Json), "cookie")) == bxAuth) return summary.Name;
        }
        return null;
    }

    private static bool Succeeded(UpstreamAnswer a) => a.Status == 200 && a.Json?["success"] is JsonValue s && s.TryGetValue<bool>(out var ok) && ok;

    private static void BrowserHeaders(System.Net.Http.Headers.HttpRequestHeaders h, string cookie)
    {
        h.TryAddWithoutValidation("Cookie", cookie);
        h.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        h.TryAddWithoutValidation("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "iFlow cookie login saved {FileName}")]
    private partial void LogSaved(string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "iFlow cookie login failed: {Error}")]
    private partial void LogFailed(string error);
}
