namespace CliProxy.Domain.Proxy;

/// <summary>The client-facing API a /v1 or /v1beta request speaks (spec usage §5.1).</summary>
public enum ClientProtocol
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    OpenAIChat,

    /// <summary><c>POST /v1/completions</c>.</summary>
    OpenAICompletions,

    /// <summary><c>POST /v1/responses</c>.</summary>
    OpenAIResponses,

    /// <summary>
    /// <c>POST /v1/responses/compact</c> (Codex CLI's context compaction): Responses upstreams only, never streamed; the
    /// answer is the upstream's compacted conversation as it is.
    /// </summary>
    OpenAIResponsesCompact,

    /// <summary><c>POST /v1/messages</c>.</summary>
    ClaudeMessages,

    /// <summary><c>POST /v1/messages/count_tokens</c> (no usage record).</summary>
    ClaudeCountTokens,

    /// <summary><c>POST /v1beta/models/{model}:generateContent</c>.</summary>
    GeminiGenerate,

    /// <summary><c>POST /v1beta/models/{model}:streamGenerateContent</c>.</summary>
    GeminiStream,

    /// <summary><c>POST /v1beta/models/{model}:countTokens</c> (no usage record).</summary>
    GeminiCountTokens,
}
