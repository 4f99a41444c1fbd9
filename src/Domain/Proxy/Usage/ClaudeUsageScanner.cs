using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// Usage of an Anthropic Messages answer (spec usage §1.4): the top-level <c>usage</c> of the body, or of the
/// first stream event that has one, normally <c>message_delta</c> (<c>message_start</c> nests its usage under
/// <c>message</c>, so it does not count). Reasoning is 0; cached is <c>cache_read_input_tokens</c>, or when that
/// is 0 <c>cache_creation_input_tokens</c>; total is always <c>input + output</c>.
/// </summary>
public sealed class ClaudeUsageScanner() : UsageScanner(Paths)
{
    private static readonly JsonFieldPaths Paths = new(
        "usage", "usage.input_tokens", "usage.output_tokens", "usage.cache_read_input_tokens", "usage.cache_creation_input_tokens");

    private protected override UsageTokens? Read(JsonFieldScanner json, bool inStream)
    {
        if (!json.Seen(0)) return null;
        var (input, output) = (json.Number(1), json.Number(2));
        var cached = json.Number(3) != 0 ? json.Number(3) : json.Number(4);
        return new UsageTokens(input, output, 0, cached, input + output);
    }
}
