using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Proxy.Access;
using CliProxy.Gateway.Proxy.Routing;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>
/// The data-plane routes of every gateway (spec usage §5.1): model lists, the OpenAI, Anthropic and Gemini calls, and
/// <c>GET /</c>. All but <c>GET /</c> pass the client-key check (<see cref="ClientKeyFilter"/>); a call is read once
/// and handed to the <see cref="ProxyConductor"/>; an error it returns is answered by <see cref="ProxyAnswers"/>.
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
        Call(group, "/v1/chat/completions", ClientProtocol.OpenAIChat);
        Call(group, "/v1/completions", ClientProtocol.OpenAICompletions);
        Call(group, "/v1/responses", ClientProtocol.OpenAIResponses);
        Call(group, "/v1/responses/compact", ClientProtocol.OpenAIResponsesCompact);
        Call(group, "/v1/messages", ClientProtocol.ClaudeMessages);
        Call(group, "/v1/messages/count_tokens", ClientProtocol.ClaudeCountTokens);
        group.MapPost("/v1beta/models/{**target}", (HttpContext context, string target) =>
        {
            var colon = target.LastIndexOf(':');
            ClientProtocol? protocol = colon < 0 ? null : target[(colon + 1)..] switch
            {
                "generateContent" => ClientProtocol.GeminiGenerate,
                "streamGenerateContent" => ClientProtocol.GeminiStream,
                "countTokens" => ClientProtocol.GeminiCountTokens,
                _ => null,
            };
            if (protocol is not { } p)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound; // the router's plain 404
                return Task.CompletedTask;
            }
            return ServeAsync(context, p, "POST /v1beta/models/{model}:" + target[(colon + 1)..], target[..colon], p == ClientProtocol.GeminiStream);
        });
        return app;
    }

    private static void Call(RouteGroupBuilder group, string path, ClientProtocol protocol) =>
        group.MapPost(path, (HttpContext context) => ServeAsync(context, protocol, "POST " + path, null, null));

    private static async Task ServeAsync(HttpContext context, ClientProtocol protocol, string route, string? pathModel, bool? pathStream)
    {
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();
        var request = context.Features.GetRequiredFeature<ProxyRequestFeature>();
        var settings = request.State.Config.Settings;
        var metrics = context.RequestServices.GetRequiredService<IProxyMetrics>();
        var (call, model, error) = await ClientCallReader.ReadAsync(context.Request, protocol, pathModel, pathStream, context.RequestAborted);
        if (call is { Stream: true } && protocol == ClientProtocol.OpenAIResponsesCompact)
            (call, error) = (null, ProxyError.BadRequest("streaming not supported for /responses/compact"));
        if (call is not null)
        {
            var conductor = context.RequestServices.GetRequiredService<ProxyConductor>();
            var proxyCall = new ProxyCall(call, model, request.ClientKey, route, settings);
            error = await conductor.ServeAsync(context, proxyCall, request.State.Catalogue, context.RequestAborted);
        }
        if (error is not null) await ProxyAnswers.WriteAsync(context, error, settings.PassthroughHeaders);
        metrics.RequestCompleted(route, model.Base ?? "", request.ClientKey, context.Response.StatusCode, time.GetElapsedTime(started));
    }
}
