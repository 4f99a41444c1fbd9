using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Gemini API keys (the reference's <c>gemini_executor.go</c>): <c>{base}/v1beta/models/{model}:{action}</c>
/// with the model in the path, <c>?alt=sse</c> on <c>streamGenerateContent</c> (the reference streams SSE whatever
/// the client's <c>alt</c>), the key in <c>x-goog-api-key</c>, the body passed as is.
/// Vertex API keys derive from it with their own path.
/// </summary>
public class GeminiExecutor(UpstreamOptions options) : IUpstreamExecutor
{
    /// <summary>The upstream base URLs.</summary>
    protected UpstreamOptions Options { get; } = options;

    /// <summary>The provider key this executor serves.</summary>
    protected virtual string Provider => UpstreamProviders.Gemini;

    private readonly UpstreamUrls _urls = new();

    /// <inheritdoc />
    public bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == Provider && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    public UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel)
    {
        var action = call.Protocol switch
        {
            ClientProtocol.GeminiStream => "streamGenerateContent?alt=sse",
            ClientProtocol.GeminiCountTokens => "countTokens",
            _ => "generateContent",
        };
        var url = _urls.Of(Options.BaseUrl(credential, Provider), $"{ModelsPath}/{Uri.EscapeDataString(upstreamModel)}:{action}");
        var headers = new UpstreamHeaders()
            .Set("Content-Type", "application/json")
            .Set("Accept", call.Protocol == ClientProtocol.GeminiStream ? "text/event-stream" : "application/json");
        if (secret.Length > 0) headers.Set("x-goog-api-key", secret);
        headers.SetAll(credential.Headers);
        return new UpstreamRequest(url, headers.ToList(), call.BodyRules(call.Body));
    }

    /// <inheritdoc />
    public IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream) => new GeminiUsageScanner();

    /// <summary>The path of the models collection under the base URL.</summary>
    protected virtual string ModelsPath => "/v1beta/models";
}

/// <summary>
/// Vertex API keys (the reference's <c>gemini_vertex_executor.go</c>, API-key branch):
/// <c>{base}/v1/publishers/google/models/{model}:{action}</c>, otherwise as <see cref="GeminiExecutor"/>.
/// </summary>
public sealed class VertexExecutor(UpstreamOptions options) : GeminiExecutor(options)
{
    /// <inheritdoc />
    protected override string Provider => UpstreamProviders.Vertex;

    /// <inheritdoc />
    protected override string ModelsPath => "/v1/publishers/google/models";
}
