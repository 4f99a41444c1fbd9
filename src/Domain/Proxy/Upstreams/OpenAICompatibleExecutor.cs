using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// OpenAI Chat Completions and Completions upstreams (the reference's <c>openai_compat_executor.go</c>): an
/// <c>openai-compatibility</c> entry's base URL + <c>/chat/completions</c> (or <c>/completions</c> for
/// <c>/v1/completions</c>, passed through untranslated), <c>Authorization: Bearer</c>, the entry's headers last,
/// the model rewritten, and for streams <c>stream_options.include_usage</c> so the final chunk carries usage.
/// Qwen, Kimi and iFlow derive from it with their own base URL and headers.
/// </summary>
public class OpenAICompatibleExecutor(UpstreamOptions options) : IUpstreamExecutor
{
    /// <summary>The upstream base URLs.</summary>
    protected UpstreamOptions Options { get; } = options;

    private readonly UpstreamUrls _urls = new();

    /// <inheritdoc />
    public virtual bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Protocol == UpstreamProtocol.OpenAIChat
        && credential.Provider is not (UpstreamProviders.Qwen or UpstreamProviders.Kimi or UpstreamProviders.IFlow)
        && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    public UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel)
    {
        var body = call.BodyRules(JsonBody.SetString(call.Body, "model", upstreamModel));
        if (call.Stream) body = JsonBody.Set(body, "stream_options", IncludeUsage(body));
        var completions = call.Protocol == ClientProtocol.OpenAICompletions;
        var url = _urls.Of(BaseUrl(credential), completions ? CompletionsPath : ChatPath);
        var headers = new UpstreamHeaders()
            .Set("Content-Type", "application/json")
            .Set("Accept", call.Stream ? "text/event-stream" : "application/json");
        if (secret.Length > 0) headers.Set("Authorization", "Bearer " + secret);
        AddHeaders(headers, credential, secret, call);
        headers.SetAll(credential.Headers);
        return new UpstreamRequest(url, headers.ToList(), body);
    }

    /// <inheritdoc />
    public IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream) => new OpenAIUsageScanner();

    /// <summary>The path of chat requests under the base URL.</summary>
    protected virtual string ChatPath => "/chat/completions";

    /// <summary>The path of legacy completions under the base URL.</summary>
    protected virtual string CompletionsPath => "/completions";

    /// <summary>The base URL of an attempt (an entry's <c>base-url</c>; subclasses fall back to their default).</summary>
    protected virtual string BaseUrl(UpstreamCredential credential) => credential.BaseUrl.Trim().TrimEnd('/');

    /// <summary>The provider's own headers, set after the common ones and before the credential's.</summary>
    private protected virtual void AddHeaders(UpstreamHeaders headers, UpstreamCredential credential, string secret, ClientCall call) =>
        headers.Set("User-Agent", "cli-proxy-openai-compat");

    /// <summary>The client's <c>stream_options</c> with <c>include_usage: true</c> (other options kept).</summary>
    private static string IncludeUsage(ReadOnlyMemory<byte> body)
    {
        var current = JsonBody.Get(body.Span, "stream_options");
        if (current is null || !current.TrimStart().StartsWith('{')) return """{"include_usage":true}""";
        return System.Text.Encoding.UTF8.GetString(JsonBody.Set(System.Text.Encoding.UTF8.GetBytes(current), "include_usage", "true").Span);
    }
}
