using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// Usage of an OpenAI Responses answer (Codex; spec usage §1.4): <c>response.usage</c> of the
/// <c>response.completed</c> event, streamed or as a body. A plain Responses body (<c>"object":"response"</c>,
/// what api.openai.com answers to <c>"stream":false</c>) carries the same object at the top level and is read
/// there; the reference never meets it because it always streams from the upstream.
/// </summary>
public sealed class ResponsesUsageScanner() : UsageScanner(Paths)
{
    private static readonly JsonFieldPaths Paths = new(
        "type",
        "response.usage",
        "response.usage.input_tokens", "response.usage.output_tokens",
        "response.usage.output_tokens_details.reasoning_tokens", "response.usage.input_tokens_details.cached_tokens",
        "response.usage.total_tokens",
        "usage",
        "usage.input_tokens", "usage.output_tokens",
        "usage.output_tokens_details.reasoning_tokens", "usage.input_tokens_details.cached_tokens",
        "usage.total_tokens");

    private protected override UsageTokens? Read(JsonFieldScanner json, bool inStream)
    {
        if (json.Text(0) == "response.completed" && json.Seen(1)) return At(json, 2);
        if (!inStream && json.Seen(7)) return At(json, 8);
        return null;
    }

    private static UsageTokens At(JsonFieldScanner json, int i) =>
        new(json.Number(i), json.Number(i + 1), json.Number(i + 2), json.Number(i + 3), json.Number(i + 4));
}
