using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>
/// The fake iFlow platform's API-key endpoint of the cookie login: <c>GET /iflow/apikey</c> answers the key
/// info of the account whose <c>BXAuth</c> cookie was registered with <see cref="AddIFlowCookie"/>, and
/// <c>POST</c> with <c>{"name"}</c> renews that key (new key, expiry); unknown cookies get <c>success:false</c>.
/// </summary>
public sealed partial class FakeOAuthServer
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _cookies = new();

    /// <summary>Registers a platform session: requests whose cookie carries <c>BXAuth=<paramref name="bxAuth"/></c> see the API key named <paramref name="keyName"/>.</summary>
    public void AddIFlowCookie(string bxAuth, string keyName) => _cookies[bxAuth] = keyName;

    private void MapIFlowPlatform(IEndpointRouteBuilder app)
    {
        app.MapGet("/iflow/apikey", (HttpContext http) => Recorded(http, null, () => CookieAccount(http) is { } name
            ? Json(new JsonObject { ["success"] = true, ["data"] = new JsonObject { ["name"] = name, ["apiKeyMask"] = "sk-****" } })
            : Json(new JsonObject { ["success"] = false, ["message"] = "not logged in" })));
        app.MapPost("/iflow/apikey", async (HttpContext http) =>
        {
            var fields = await FieldsAsync(http.Request);
            Record(http, fields);
            if (CookieAccount(http) is not { } name || fields.GetValueOrDefault("name") != name || http.Request.Headers.Origin != "https://platform.iflow.cn")
                return Json(new JsonObject { ["success"] = false, ["message"] = "refused" });
            return Json(new JsonObject
            {
                ["success"] = true,
                ["data"] = new JsonObject { ["name"] = name, ["apiKey"] = "sk-cookie-" + name, ["expireTime"] = "2027-01-31 23:59" },
            });
        });
    }

    private string? CookieAccount(HttpContext http)
    {
        foreach (var part in http.Request.Headers.Cookie.ToString().Split(';'))
            if (part.Trim() is var p && p.StartsWith("BXAuth=", StringComparison.Ordinal) && _cookies.TryGetValue(p["BXAuth=".Length..], out var name)) return name;
        return null;
    }
}
