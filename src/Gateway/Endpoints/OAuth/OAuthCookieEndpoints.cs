using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>
/// <c>POST /iflow-auth-url</c> with <c>{"cookie":"…"}</c>: the iFlow cookie login (spec §5.9.8), one call to
/// <see cref="IIFlowCookieLoginGrain"/>; success is <c>{"status":"ok","saved_path","email","expired","type":"iflow"}</c>,
/// errors <c>{"status":"error","error":…}</c> (a duplicate adds <c>existing_file</c>).
/// </summary>
public static class OAuthCookieEndpoints
{
    /// <summary>Limit of the body (a cookie string).</summary>
    public const long BodyLimit = 64 * 1024;

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapOAuthCookieLogin(this RouteGroupBuilder group)
    {
        group.MapPost("/iflow-auth-url", Login).WithSummary("iFlow login with a browser cookie").WithTags("Logins");
        return group;
    }

    private static async Task<IResult> Login(HttpContext http, IGrainFactory grains, ConfigSnapshotCache configs, GatewayHost host)
    {
        var text = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
        string cookie;
        try
        {
            cookie = JsonNode.Parse(text) is JsonObject o && o["cookie"] is JsonValue v && v.TryGetValue<string>(out var c) ? c : "";
        }
        catch (JsonException)
        {
            cookie = "";
        }
        if (cookie.Trim().Length == 0) return OAuthAnswers.Error(Refusal.Invalid("cookie is required"));
        var proxy = (await configs.GetAsync()).Settings.ProxyUrl;
        var result = await grains.GetGrain<IIFlowCookieLoginGrain>(0).Login(cookie, proxy);
        if (result.Refusal is { } refusal) return OAuthAnswers.CookieRefused(refusal, result.ExistingFile);
        return JsonResponses.Json(new JsonObject
        {
            ["status"] = "ok",
            ["saved_path"] = host.AuthDirectory.Length > 0 ? Path.Combine(host.AuthDirectory, result.FileName) : result.FileName,
            ["email"] = result.Email,
            ["expired"] = result.Expired,
            ["type"] = "iflow",
        });
    }
}
