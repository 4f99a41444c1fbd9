using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using CliProxy.Domain.Proxy;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Proxy.Access;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>
/// The data-plane routes of every gateway (spec usage §5.1): model lists, the OpenAI, Anthropic and Gemini calls, and
/// <c>GET /</c>. All but <c>GET /</c> pass the client-key check (<see cref="ClientKeyFilter"/>: a filter on the model
/// lists, part of <see cref="ProxyCalls"/> for the calls).
/// </summary>
public static class ProxyEndpoints
{
    /// <summary>The endpoints listed by <c>GET /</c>.</summary>
    public static readonly string[] Listed =
    [
        "POST /v1/chat/completions", "POST /v1/completions", "POST /v1/responses", "POST /v1/messages", "POST /v1/messages/count_tokens",
        "GET /v1/models", "GET /v1beta/models", "GET /v1beta/models/{name}", "POST /v1beta/models/{model}:{generateContent|streamGenerateContent|countTokens}",
    ];

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapProxy(this WebApplication app)
    {
        app.MapGet("/", () => JsonResponses.Json(new JsonObject
        {
            ["endpoints"] = new JsonArray([.. Listed.Select(e => (JsonNode)e)]),
            ["message"] = "CLI Proxy API Server",
        })).ExcludeFromDescription();
        var group = app.MapGroup("").AddEndpointFilter(app.Services.GetRequiredService<ClientKeyFilter>()).ExcludeFromDescription();
        group.MapGet("/v1/models", (HttpContext context) =>
        {
            var catalogue = context.Features.GetRequiredFeature<ProxyRequestFeature>().State.Catalogue;
            var claude = context.Request.Headers.UserAgent.ToString().StartsWith("claude-cli", StringComparison.Ordinal);
            return JsonResponses.Json(claude ? ModelListings.Claude(catalogue) : ModelListings.OpenAI(catalogue));
        });
        group.MapGet("/v1beta/models", (HttpContext context) =>
            JsonResponses.Json(ModelListings.Gemini(context.Features.GetRequiredFeature<ProxyRequestFeature>().State.Catalogue)));
        group.MapGet("/v1beta/models/{**name}", (HttpContext context, string name) =>
            ModelListings.GeminiModel(context.Features.GetRequiredFeature<ProxyRequestFeature>().State.Catalogue, name) is { } model
                ? JsonResponses.Json(model)
                : JsonResponses.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = 404, ["message"] = $"models/{name} is not found", ["status"] = "NOT_FOUND" } }, 404));
        var calls = app.Services.GetRequiredService<ProxyCalls>();
        // The calls are measured by ProxyMetrics (with model and client labels); ASP.NET Core's http.server.request.duration
        // measuring each of them once more took 0.7 % of the proxy's CPU in a profile: it keeps the management plane and model lists.
        var proxy = app.MapGroup("").ExcludeFromDescription().DisableHttpMetrics();
        Call(proxy, calls, "/v1/chat/completions", ClientProtocol.OpenAIChat);
        Call(proxy, calls, "/v1/completions", ClientProtocol.OpenAICompletions);
        Call(proxy, calls, "/v1/responses", ClientProtocol.OpenAIResponses);
        Call(proxy, calls, "/v1/responses/compact", ClientProtocol.OpenAIResponsesCompact);
        Call(proxy, calls, "/v1/messages", ClientProtocol.ClaudeMessages);
        Call(proxy, calls, "/v1/messages/count_tokens", ClientProtocol.ClaudeCountTokens);
        proxy.MapPost("/v1beta/models/{**target}", (HttpContext context, string target) =>
        {
            var colon = target.LastIndexOf(':');
            ClientProtocol? protocol = colon < 0 ? null : target[(colon + 1)..] switch
            {
                "generateContent" => ClientProtocol.GeminiGenerate,
                "streamGenerateContent" => ClientProtocol.GeminiStream,
                "countTokens" => ClientProtocol.GeminiCountTokens,
                _ => null,
            };
            if (protocol is not { } p) return calls.NotFoundAsync(context); // after the key check, as the router's plain 404
            return calls.ServeAsync(context, p, "POST /v1beta/models/{model}:" + target[(colon + 1)..], target[..colon], p == ClientProtocol.GeminiStream);
        });
        return app;
    }

    private static void Call(RouteGroupBuilder proxy, ProxyCalls calls, string path, ClientProtocol protocol)
    {
        var route = "POST " + path;
        proxy.MapPost(path, (HttpContext context) => calls.ServeAsync(context, protocol, route, null, null));
    }
}
