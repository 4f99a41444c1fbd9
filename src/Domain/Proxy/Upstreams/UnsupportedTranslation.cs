namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The error text for a request no executor serves without a translation (issue 12 scope 4): the client's
/// protocol and the credential's are named, e.g. <c>translation from openai-chat to gemini-cli is not supported yet</c>.
/// </summary>
public static class UnsupportedTranslation
{
    /// <summary>The message for a <paramref name="client"/> request that <paramref name="credential"/> cannot serve as is.</summary>
    public static string Message(ClientProtocol client, UpstreamCredential credential) =>
        $"translation from {Name(client)} to {Name(credential)} is not supported yet";

    /// <summary>The name of a client protocol in error texts.</summary>
    public static string Name(ClientProtocol client) => client switch
    {
        ClientProtocol.OpenAIChat => "openai-chat",
        ClientProtocol.OpenAICompletions => "openai-completions",
        ClientProtocol.OpenAIResponses => "openai-responses",
        ClientProtocol.OpenAIResponsesCompact => "openai-responses-compact",
        ClientProtocol.ClaudeMessages or ClientProtocol.ClaudeCountTokens => "claude-messages",
        _ => "gemini",
    };

    /// <summary>The name of a credential's upstream protocol in error texts (the provider for those not served yet).</summary>
    public static string Name(UpstreamCredential credential) => credential.Protocol switch
    {
        UpstreamProtocol.OpenAIChat => "openai-chat",
        UpstreamProtocol.OpenAIResponses => "openai-responses",
        UpstreamProtocol.ClaudeMessages => "claude-messages",
        UpstreamProtocol.Gemini => "gemini",
        _ => credential.Provider,
    };

    /// <summary>Whether <paramref name="client"/> requests reach an upstream speaking <paramref name="upstream"/> without translation.</summary>
    public static bool IsNative(ClientProtocol client, UpstreamProtocol upstream) => upstream switch
    {
        UpstreamProtocol.OpenAIChat => client is ClientProtocol.OpenAIChat or ClientProtocol.OpenAICompletions,
        UpstreamProtocol.OpenAIResponses => client is ClientProtocol.OpenAIResponses or ClientProtocol.OpenAIResponsesCompact,
        UpstreamProtocol.ClaudeMessages => client is ClientProtocol.ClaudeMessages or ClientProtocol.ClaudeCountTokens,
        UpstreamProtocol.Gemini => client is ClientProtocol.GeminiGenerate or ClientProtocol.GeminiStream or ClientProtocol.GeminiCountTokens,
        _ => false,
    };
}
