using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// An answer of the proxy that is not an upstream's success, as a value: its status, its JSON body and the headers it
/// carries (spec usage §5.3, §5.5). The gateway writes it in one place.
/// </summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">The body (UTF-8 JSON, or the upstream's error body verbatim).</param>
/// <param name="ContentType">Content type of <paramref name="Body"/>.</param>
/// <param name="RetryAfterSeconds">A <c>Retry-After</c> value, sent only under <c>passthrough-headers</c>.</param>
public sealed record ProxyError(int Status, byte[] Body, string ContentType, long? RetryAfterSeconds = null)
{
    /// <summary>Content type of the proxy's own error bodies.</summary>
    public const string Json = "application/json";

    /// <summary>An OpenAI-style error <c>{"error":{"message","type","code"}}</c>.</summary>
    public static ProxyError OpenAI(int status, string message, string type, string code) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code },
        }), Json);

    /// <summary>§5.3 step 1: no provider registered the model.</summary>
    public static ProxyError UnknownModel(string model) => OpenAI(502, "unknown provider for model " + model, "server_error", "unknown_provider");

    /// <summary>§5.3 step 5: no credential available that is not blocked (and the blocks are not all quota).</summary>
    public static ProxyError AuthUnavailable() => OpenAI(500, "auth_unavailable: no auth available", "server_error", "auth_unavailable");

    /// <summary>The request's protocol reaches the model only through a translation that is not built yet.</summary>
    public static ProxyError MissingTranslation(string message) => OpenAI(501, message, "invalid_request_error", "translation_not_supported");

    /// <summary>The request body is not what the route needs.</summary>
    public static ProxyError BadRequest(string message) => OpenAI(400, message, "invalid_request_error", "invalid_request");

    /// <summary>§5.3 step 5: every credential of the model is cooling down for quota: <c>429 model_cooldown</c>.</summary>
    public static ProxyError Cooldown(string model, string? provider, TimeSpan reset)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(reset.TotalSeconds));
        var error = new JsonObject
        {
            ["code"] = "model_cooldown",
            ["message"] = $"All credentials for model {model} are cooling down" + (provider is null ? "" : " via provider " + provider),
            ["model"] = model,
            ["reset_time"] = GoDuration.Format(reset),
            ["reset_seconds"] = seconds,
        };
        if (provider is not null) error["provider"] = provider;
        return new ProxyError(429, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["error"] = error }), Json, seconds);
    }

    /// <summary>§5.5: an upstream failure, its JSON body verbatim, else an OpenAI-style error; the upstream's status (502 for a transport error).</summary>
    public static ProxyError Upstream(UpstreamFailure failure)
    {
        var status = failure.Status == 0 ? 502 : failure.Status;
        if (failure.Body.Length > 0) return new ProxyError(status, Upstreams.UpstreamErrors.ClientBody(status, failure.Body).ToArray(), Json);
        var message = failure.Message.Length > 0 ? failure.Message : "upstream request failed";
        return new ProxyError(status, Upstreams.UpstreamErrors.OpenAIError(message, Upstreams.UpstreamErrors.TypeFor(status), Upstreams.UpstreamErrors.CodeFor(status)), Json);
    }
}
