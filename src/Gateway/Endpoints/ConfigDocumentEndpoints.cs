using System.Text.Json.Nodes;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Idempotency;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// Whole-document routes: <c>GET /config</c> (JSON view), <c>GET /config.yaml</c> (the text
/// with an <c>ETag</c>), <c>PUT /config.yaml</c> (replace after validation; a stale <c>If-Match</c>
/// is refused and changes nothing).
/// </summary>
public static class ConfigDocumentEndpoints
{
    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapConfigDocument(this RouteGroupBuilder group)
    {
        group.MapGet("/config", async (ConfigSnapshotCache configs) => JsonResponses.Json((await configs.GetAsync()).ConfigJson))
            .WithSummary("The whole configuration as JSON (without host, port, auth-dir and remote-management)").WithTags("Config document");
        group.MapGet("/config.yaml", GetYaml)
            .WithSummary("The config.yaml text exactly as stored; ETag = document version").WithTags("Config document");
        group.MapPut("/config.yaml", PutYaml)
            .WithSummary("Replace config.yaml after validation; honours If-Match").WithTags("Config document");
        return group;
    }

    private static async Task<IResult> GetYaml(HttpContext http, ConfigSnapshotCache configs)
    {
        var snapshot = (await configs.GetAsync()).Snapshot;
        if (snapshot.SourceMissing) return JsonResponses.Refuse(Refusals.ConfigFileNotFound);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.ETag = snapshot.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == snapshot.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Text(snapshot.Yaml, "application/yaml; charset=utf-8");
    }

    private static async Task<IResult> PutYaml(HttpContext http, ConfigSnapshotCache configs)
    {
        string body;
        try
        {
            body = await BodyReader.ReadAsync(http.Request, BodyReader.ConfigLimit, http.RequestAborted);
        }
        catch (IOException)
        {
            return JsonResponses.Refuse(Refusals.UnreadableDocument);
        }
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        var result = await configs.Grain.ReplaceDocument(body, ifMatch.Length > 0 ? ifMatch : null, IdempotencyFilter.TokenOf(http));
        if (result.Refusal is { } refusal) return JsonResponses.Refuse(refusal);
        configs.Offer(result.Snapshot!);
        http.Response.Headers.ETag = result.Snapshot!.ETag;
        return JsonResponses.Json(new JsonObject { ["changed"] = new JsonArray("config"), ["ok"] = true });
    }
}
