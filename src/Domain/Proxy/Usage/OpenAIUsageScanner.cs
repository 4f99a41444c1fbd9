using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// Usage of an OpenAI-style answer (openai-compatibility, Qwen, Kimi, iFlow; spec usage §1.4): the top-level
/// <c>usage</c> object. A body reads <c>prompt_tokens</c> else <c>input_tokens</c> (and the same fallbacks for the
/// other counts); a stream reads the first <c>data:</c> chunk that carries a non-zero <c>usage</c>, Chat
/// Completions names only.
/// </summary>
public sealed class OpenAIUsageScanner() : UsageScanner(Paths)
{
    private static readonly JsonFieldPaths Paths = new(
        "usage",
        "usage.prompt_tokens", "usage.input_tokens",
        "usage.completion_tokens", "usage.output_tokens",
        "usage.completion_tokens_details.reasoning_tokens", "usage.output_tokens_details.reasoning_tokens",
        "usage.prompt_tokens_details.cached_tokens", "usage.input_tokens_details.cached_tokens",
        "usage.total_tokens");

    private protected override UsageTokens? Read(JsonFieldScanner json, bool inStream)
    {
        if (!json.Seen(0)) return null;
        if (inStream) return new UsageTokens(json.Number(1), json.Number(3), json.Number(5), json.Number(7), json.Number(9));
        return new UsageTokens(
            Either(json, 1, 2), Either(json, 3, 4), Either(json, 5, 6), Either(json, 7, 8), json.Number(9));
    }

    private static long Either(JsonFieldScanner json, int first, int second) =>
        json.Seen(first) ? json.Number(first) : json.Number(second);
}
