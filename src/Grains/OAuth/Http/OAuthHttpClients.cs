using System.Net;
using CliProxy.Domain.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace CliProxy.Grains.OAuth.Http;

/// <summary>
/// Outbound HTTP clients of the logins, from <see cref="IHttpClientFactory"/>: one named client per
/// proxy URL (config <c>proxy-url</c>: http, https or socks5; none for ""), each request limited to
/// <see cref="OAuthSettings.RequestTimeout"/>. Plain <c>http://</c> upstreams work.
/// </summary>
public sealed class OAuthHttpClients(IHttpClientFactory factory, OAuthSettings settings)
{
    /// <summary>Name prefix of the clients.</summary>
    public const string ClientName = "oauth";

    /// <summary>A client that goes through <paramref name="proxyUrl"/> ("" for a direct connection).</summary>
    public HttpClient For(string? proxyUrl)
    {
        var proxy = (proxyUrl ?? "").Trim();
        var client = factory.CreateClient(proxy.Length == 0 ? ClientName : ClientName + "|" + proxy);
        client.Timeout = settings.RequestTimeout;
        return client;
    }

    /// <summary>Registers the clients: the direct one, and a primary handler with the proxy for each proxied name.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(ClientName);
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, ProxyHandlers>();
        services.AddSingleton<OAuthHttpClients>();
    }

    /// <summary>Gives each <c>oauth|&lt;proxy&gt;</c> client a handler that uses that proxy.</summary>
    private sealed class ProxyHandlers : IConfigureNamedOptions<HttpClientFactoryOptions>
    {
        public void Configure(HttpClientFactoryOptions options) { }

        public void Configure(string? name, HttpClientFactoryOptions options)
        {
            if (name is null || !name.StartsWith(ClientName + "|", StringComparison.Ordinal)) return;
            var proxy = name[(ClientName.Length + 1)..];
            options.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new SocketsHttpHandler
            {
                Proxy = new WebProxy(new Uri(proxy)),
                UseProxy = true,
                AutomaticDecompression = DecompressionMethods.All,
            });
        }
    }
}
