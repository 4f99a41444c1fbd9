using System.Text.Json.Nodes;
using CliProxy.Gateway.ApiCall;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>POST /api-call</c> (spec §3): an outbound HTTP request made for the management UI, optionally with a
/// stored credential's token and proxy. Answers <c>200 {"status_code","header","body"}</c> whatever the
/// upstream's status; refusals as <c>{"error": …}</c> (400 for the request, 403 for a refused target,
/// 502 for the upstream). See <see cref="ApiCallService"/>, <see cref="ApiCallSender"/> and
/// <see cref="ApiCallTargets"/> (what it refuses and why).
/// </summary>
public static class ApiCallEndpoints
{
    /// <summary>Largest request body: 4 MiB.</summary>
    public const long BodyLimit = BodyReader.ConfigLimit;

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapApiCall(this RouteGroupBuilder group)
    {
        group.MapPost("/api-call", Post).WithSummary("Outbound HTTP request with a stored credential's token and proxy").WithTags("API tool");
        return group;
    }

    private static async Task<IResult> Post(HttpContext http, ApiCallService service)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
        if (ApiCallRequest.Parse(body, out var error) is not { } call) return JsonResponses.Error(StatusCodes.Status400BadRequest, error);
        var outcome = await service.CallAsync(call, http.RequestAborted);
        if (outcome.Response is not { } answer) return JsonResponses.Error(outcome.Status, outcome.Error!);
        var header = new JsonObject();
        foreach (var (name, values) in answer.Headers) header[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        return JsonResponses.Json(new JsonObject { ["status_code"] = answer.StatusCode, ["header"] = header, ["body"] = answer.Body });
    }
}
