using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// OpenAI Responses upstreams for Codex (the reference's <c>codex_executor*.go</c>). API keys: <c>{base}/responses</c>
/// on the OpenAI platform (<c>api.openai.com/v1</c> unless the key has a base-url), Bearer, the model rewritten.
/// OAuth: the ChatGPT backend (<c>chatgpt.com/backend-api/codex/responses</c>) with Bearer, the
/// <c>Chatgpt-Account-Id</c> read from the token's claims, the client's <c>originator</c>/<c>version</c>/
/// <c>user-agent</c> or the Codex CLI's, and the body rules the backend requires (<see cref="CodexBody"/>): it
/// streams always, so a non-streaming client's answer is collected (<see cref="UpstreamRequest.CollectStream"/>).
/// <c>/v1/responses/compact</c> goes to <c>{base}/responses/compact</c> on either, without <c>stream</c>, and its JSON
/// answer is passed through.
/// </summary>
public sealed class CodexExecutor(UpstreamOptions options) : IUpstreamExecutor
{
    /// <summary>The originator sent when the client sent none (the reference's <c>codex-tui</c>).</summary>
    public const string Originator = "codex-tui";

    /// <summary>The user agent sent when the client sent none (the reference's Codex CLI identity).</summary>
    public const string UserAgent = "codex-tui/0.146.0 (Mac OS 26.5.0; arm64) iTerm.app/3.6.10 (codex-tui; 0.146.0)";

    private readonly UpstreamUrls _urls = new();

    /// <inheritdoc />
    public bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == UpstreamProviders.Codex && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    public UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel)
    {
        var oauth = credential.Secret is UpstreamSecret.AuthFile;
        var baseUrl = options.BaseUrl(credential, oauth ? UpstreamProviders.Codex : UpstreamProviders.OpenAI);
        var compact = call.Protocol == ClientProtocol.OpenAIResponsesCompact;
        var streamUpstream = !compact && (oauth || call.Stream);
        var headers = new UpstreamHeaders()
            .Set("Content-Type", "application/json")
            .Set("Accept", streamUpstream ? "text/event-stream" : "application/json")
            .Set("Authorization", "Bearer " + secret);
        ReadOnlyMemory<byte> body;
        if (oauth)
        {
            headers.Set("Originator", UpstreamHeaders.Find(call.Headers, "originator") ?? Originator)
                .Set("User-Agent", UpstreamHeaders.Find(call.Headers, "user-agent") ?? UserAgent);
            if (UpstreamHeaders.Find(call.Headers, "version") is { } version) headers.Set("Version", version);
            if (CodexToken.AccountId(secret) is { } account) headers.Set("Chatgpt-Account-Id", account);
            body = CodexBody.ForChatGptBackend(call.BodyRules(call.Body), upstreamModel, compact);
        }
        else body = compact ? CodexBody.ForCompact(call.BodyRules(call.Body), upstreamModel) : call.BodyRules(JsonBody.SetString(call.Body, "model", upstreamModel));
        headers.SetAll(credential.Headers);
        return new UpstreamRequest(_urls.Of(baseUrl, compact ? "/responses/compact" : "/responses"), headers.ToList(), body)
        {
            CollectStream = oauth && !call.Stream && !compact,
        };
    }

    /// <inheritdoc />
    public IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream) => new ResponsesUsageScanner();
}
