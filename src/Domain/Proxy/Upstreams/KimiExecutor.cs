using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Kimi OAuth (the reference's <c>kimi_executor.go</c>): OpenAI Chat Completions at
/// <c>api.kimi.com/coding/v1/chat/completions</c> with the <c>X-Msh-*</c> client headers. The device id is
/// derived from the credential id (stable per account, no host details leave the node).
/// </summary>
public sealed class KimiExecutor(UpstreamOptions options) : OpenAICompatibleExecutor(options)
{
    /// <inheritdoc />
    public override bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Provider == UpstreamProviders.Kimi && UnsupportedTranslation.IsNative(client, credential.Protocol);

    /// <inheritdoc />
    protected override string BaseUrl(UpstreamCredential credential) => Options.BaseUrl(credential, UpstreamProviders.Kimi);

    /// <inheritdoc />
    protected override string ChatPath => "/v1/chat/completions";

    /// <inheritdoc />
    protected override string CompletionsPath => "/v1/completions";

    /// <inheritdoc />
    private protected override void AddHeaders(UpstreamHeaders headers, UpstreamCredential credential, string secret, ClientCall call) => headers
        .Set("User-Agent", "CLIProxyAPI/cliproxy-orleans")
        .Set("X-Msh-Platform", "CLIProxyAPI")
        .Set("X-Msh-Version", "cliproxy-orleans")
        .Set("X-Msh-Device-Id", DeviceId(credential.Id));

    private static string DeviceId(string credentialId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("kimi-device:" + credentialId)).AsSpan(0, 16)).ToString();
}
