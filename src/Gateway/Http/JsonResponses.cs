using System.Text.Json.Nodes;
using CliProxy.Domain.Errors;

namespace CliProxy.Gateway.Http;

/// <summary>
/// JSON answers in the reference's shape: compact, <c>application/json; charset=utf-8</c>, and
/// errors as <c>{"error": …}</c> or <c>{"error": …, "message": …}</c>.
/// </summary>
public static class JsonResponses
{
    /// <summary>Content type of every JSON answer.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/>.</summary>
    public static IResult Json(JsonNode? body, int status = StatusCodes.Status200OK) =>
        Results.Text(body?.ToJsonString() ?? "null", ContentType, statusCode: status);

    /// <summary>Answers 200 with pre-rendered UTF-8 JSON.</summary>
    public static IResult Json(byte[] utf8) => Results.Bytes(utf8, ContentType);

    /// <summary>
    /// Answers <paramref name="refusal"/>: the status of its kind (<see cref="RefusalStatus"/>) with
    /// <c>{"error": …}</c>, or <c>{"error": …, "message": …}</c> when it has a message.
    /// </summary>
    public static IResult Refuse(Refusal refusal) => Json(Body(refusal), RefusalStatus.Of(refusal.Kind));

    /// <summary><c>{"error": message}</c> (for refusals that are not of the reference's kinds: access control, upstream failures).</summary>
    public static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    /// <summary><c>{"error": code, "message": message}</c> (as <see cref="Error(int, string)"/>).</summary>
    public static IResult Error(int status, string code, string message) =>
        Json(new JsonObject { ["error"] = code, ["message"] = message }, status);

    /// <summary><c>200 {"status":"ok"}</c>, the answer of every successful config change.</summary>
    public static IResult StatusOk { get; } = Json(new JsonObject { ["status"] = "ok" });

    /// <summary>Writes <paramref name="refusal"/> as <see cref="Refuse"/> does, directly (for middleware that runs outside an endpoint).</summary>
    public static Task WriteRefusalAsync(HttpContext context, Refusal refusal)
    {
        context.Response.StatusCode = RefusalStatus.Of(refusal.Kind);
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(Body(refusal).ToJsonString());
    }

    private static JsonObject Body(Refusal refusal) => refusal.Message is null
        ? new JsonObject { ["error"] = refusal.Error }
        : new JsonObject { ["error"] = refusal.Error, ["message"] = refusal.Message };
}
