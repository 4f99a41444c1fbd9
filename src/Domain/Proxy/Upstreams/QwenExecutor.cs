namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Qwen OAuth (the reference's <c>qwen_executor.go</c>, removed upstream since): OpenAI Chat Completions at the
/// account's <c>resource_url</c> (given as the credential's base URL; <c>https://</c> and <c>/v1</c> added when
/// missing) or <c>portal.qwen.ai/v1</c>, with the Qwen Code client's headers.
/// </summary>
public sealed class QwenExecutor(UpstreamOptions options) : OpenAICompatibleExecutor(options)
{
    private const string UserAgent = "QwenCode/0.14.2 (darwin; arm64)";

    /// <inheritdoc />
    public override bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == UpstreamProviders.Qwen && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    protected override string BaseUrl(UpstreamCredential credential)
    {
        var raw = credential.BaseUrl.Trim();
        if (raw.Length == 0) return Options.DefaultBaseUrl(UpstreamProviders.Qwen);
        if (!raw.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !raw.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            raw = "https://" + raw;
        raw = raw.TrimEnd('/');
        return raw.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? raw : raw + "/v1";
    }

    /// <inheritdoc />
    private protected override void AddHeaders(UpstreamHeaders headers, UpstreamCredential credential, string secret, ClientCall call) => headers
        .Set("User-Agent", UserAgent)
        .Set("X-Dashscope-Useragent", UserAgent)
        .Set("X-Dashscope-Authtype", "qwen-oauth")
        .Set("X-Dashscope-Cachecontrol", "enable")
        .Set("X-Stainless-Runtime", "node")
        .Set("X-Stainless-Runtime-Version", "v22.17.0")
        .Set("X-Stainless-Lang", "js")
        .Set("X-Stainless-Os", "MacOS")
        .Set("X-Stainless-Arch", "arm64")
        .Set("X-Stainless-Package-Version", "5.11.0")
        .Set("X-Stainless-Retry-Count", "0");
}
