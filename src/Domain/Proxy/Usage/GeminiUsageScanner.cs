using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// Usage of a Gemini or Vertex answer (spec usage §1.4): <c>usageMetadata</c>, else <c>usage_metadata</c>.
/// In a stream only a chunk with a <c>finishReason</c> counts (the usage of earlier chunks is running and
/// dropped). Total is <c>totalTokenCount</c>, or when that is 0 <c>prompt + candidates + thoughts</c>.
/// </summary>
public sealed class GeminiUsageScanner() : UsageScanner(Paths)
{
    private static readonly JsonFieldPaths Paths = new(
        "candidates.*.finishReason",
        "usageMetadata",
        "usageMetadata.promptTokenCount", "usageMetadata.candidatesTokenCount", "usageMetadata.thoughtsTokenCount",
        "usageMetadata.cachedContentTokenCount", "usageMetadata.totalTokenCount",
        "usage_metadata",
        "usage_metadata.promptTokenCount", "usage_metadata.candidatesTokenCount", "usage_metadata.thoughtsTokenCount",
        "usage_metadata.cachedContentTokenCount", "usage_metadata.totalTokenCount");

    private protected override UsageTokens? Read(JsonFieldScanner json, bool inStream)
    {
        if (inStream && string.IsNullOrEmpty(json.Text(0))) return null;
        if (json.Seen(1)) return At(json, 2);
        if (json.Seen(7)) return At(json, 8);
        return null;
    }

    private static UsageTokens At(JsonFieldScanner json, int i)
    {
        var (prompt, candidates, thoughts) = (json.Number(i), json.Number(i + 1), json.Number(i + 2));
        var total = json.Number(i + 4);
        return new UsageTokens(prompt, candidates, thoughts, json.Number(i + 3), total != 0 ? total : prompt + candidates + thoughts);
    }
}
