using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// iFlow (the reference's <c>iflow_executor.go</c>, removed upstream since): OpenAI Chat Completions at
/// <c>apis.iflow.cn/v1</c> with the key from the OAuth login as Bearer, the <c>iFlow-Cli</c> user agent, a fresh
/// <c>session-id</c>, and <c>x-iflow-signature</c> = hex HMAC-SHA256 keyed by the key over
/// <c>"&lt;user agent&gt;:&lt;session id&gt;:&lt;unix ms&gt;"</c>, with that time in <c>x-iflow-timestamp</c>.
/// </summary>
public sealed class IFlowExecutor(UpstreamOptions options, TimeProvider time) : OpenAICompatibleExecutor(options)
{
    private const string UserAgent = "iFlow-Cli";

    /// <inheritdoc />
    public override bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == UpstreamProviders.IFlow && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    protected override string BaseUrl(UpstreamCredential credential) => Options.BaseUrl(credential, UpstreamProviders.IFlow);

    /// <inheritdoc />
    private protected override void AddHeaders(UpstreamHeaders headers, UpstreamCredential credential, string secret, ClientCall call)
    {
        var session = "session-" + Guid.NewGuid().ToString();
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers.Set("User-Agent", UserAgent).Set("session-id", session).Set("x-iflow-timestamp", ms);
        if (secret.Length > 0) headers.Set("x-iflow-signature", Signature(secret, session, ms));
    }

    /// <summary>The request signature (hex HMAC-SHA256 of <c>"iFlow-Cli:&lt;session&gt;:&lt;ms&gt;"</c> keyed by <paramref name="key"/>).</summary>
    public static string Signature(string key, string session, string unixMs) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{UserAgent}:{session}:{unixMs}")));
}
