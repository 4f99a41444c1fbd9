using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Outbound;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Credentials;

namespace CliProxy.Gateway.ApiCall;

/// <summary>
/// <c>POST /api-call</c> after parsing (spec §3.2 steps 3–4, §3.4): finds the credential by
/// <c>auth_index</c> in this node's credential index (not found is no error), puts its token in place
/// of <c>$TOKEN$</c> in header values (asked once, from <see cref="ICredentialTokenSource"/>), picks the
/// proxy — the credential's <c>proxy_url</c>, else the config's <c>proxy-url</c>, each used only when it
/// is a usable proxy or <c>direct</c>/<c>none</c>, else a direct connection that ignores the
/// environment's proxy variables — and sends it (<see cref="ApiCallSender"/>).
/// </summary>
public sealed class ApiCallService(CredentialIndexMirror credentials, ConfigSnapshotCache configs, ICredentialTokenSource tokens, ApiCallSender sender)
{
    /// <summary>The placeholder replaced by the credential's token.</summary>
    public const string TokenPlaceholder = "$TOKEN$";

    /// <summary>Runs <paramref name="call"/>.</summary>
    public async Task<ApiCallOutcome> CallAsync(ApiCallRequest call, CancellationToken cancellationToken)
    {
        var credential = call.AuthIndex.Length > 0 ? await FindAsync(call.AuthIndex) : null;
        var headers = new List<KeyValuePair<string, string>>(call.Headers.Count);
        CredentialToken? token = null;
        foreach (var (name, value) in call.Headers)
        {
            if (credential is null || !value.Contains(TokenPlaceholder, StringComparison.Ordinal))
            {
                headers.Add(new(name, value));
                continue;
            }
            token ??= await tokens.GetAccessTokenAsync(credential.Name, cancellationToken);
            if (token.Token.Length == 0)
                return ApiCallOutcome.Refused(StatusCodes.Status400BadRequest,
                    token.Problem == CredentialTokenProblem.RefreshFailed ? "auth token refresh failed" : "auth token not found");
            headers.Add(new(name, value.Replace(TokenPlaceholder, token.Token, StringComparison.Ordinal)));
        }
        var proxy = ProxyFor(credential, (await configs.GetAsync()).Settings.ProxyUrl);
        return await sender.SendAsync(call with { Headers = headers }, proxy, cancellationToken);
    }

    /// <summary>
    /// The credential of <paramref name="authIndex"/> in this node's index; on a miss the index is read again
    /// once, so a credential uploaded through another node a moment ago is found before its push arrives.
    /// </summary>
    private async Task<CredentialEntry?> FindAsync(string authIndex) =>
        (await credentials.GetAsync()).FindByAuthIndex(authIndex) ?? (await credentials.RefreshAsync()).FindByAuthIndex(authIndex);

    /// <summary>The first usable of the credential's and the config's proxy URL, else direct (spec §3.4).</summary>
    public static ProxySetting ProxyFor(CredentialEntry? credential, string globalProxyUrl)
    {
        foreach (var candidate in new[] { credential?.ProxyUrl, globalProxyUrl })
        {
            var setting = ProxySetting.Parse(candidate);
            if (setting.Mode is ProxyMode.Proxy or ProxyMode.Direct) return setting;
        }
        return ProxySetting.Parse("direct");
    }
}
