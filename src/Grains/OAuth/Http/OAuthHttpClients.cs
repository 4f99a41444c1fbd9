using CliProxy.Domain.OAuth;
using CliProxy.Domain.Outbound;

namespace CliProxy.Grains.OAuth.Http;

/// <summary>
/// Outbound HTTP clients of the logins: the shared <see cref="OutboundHttp"/> clients (one handler per
/// proxy URL; config <c>proxy-url</c>, read as <see cref="ProxySetting"/> reads it), each request limited to <see cref="OAuthSettings.RequestTimeout"/>.
/// Plain <c>http://</c> upstreams work.
/// </summary>
public sealed class OAuthHttpClients(OutboundHttp outbound, OAuthSettings settings)
{
    /// <summary>A client that goes through <paramref name="proxyUrl"/> (empty: the platform default).</summary>
    public HttpClient For(string? proxyUrl) => outbound.For(proxyUrl, settings.RequestTimeout);
}
