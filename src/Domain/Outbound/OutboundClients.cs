using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CliProxy.Domain.Outbound;

/// <summary>
/// The named clients of <see cref="IHttpClientFactory"/> that <see cref="OutboundHttp"/> hands out: one
/// name per distinct <see cref="ProxySetting"/>, each with its own <see cref="SocketsHttpHandler"/> (so its
/// own connection pool), created on first use and kept for the life of the process. A name shows the
/// proxy without its password (log categories of the factory carry it): the
/// <see cref="ProxySetting.Description"/>, plus a digest when credentials must tell two apart.
/// </summary>
internal sealed partial class OutboundClients(OutboundHttpOptions options, ILogger<OutboundHttp> logger) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    /// <summary>The options every handler is built with.</summary>
    public OutboundHttpOptions Options => options;

    /// <summary>Prefix of every client name.</summary>
    public const string NamePrefix = "outbound ";

    private readonly ConcurrentDictionary<string, (ProxySetting Proxy, bool FollowRedirects)> _byName = new(StringComparer.Ordinal);

    /// <summary>
    /// The client name for <paramref name="proxy"/>, registered so that the factory can configure it; a
    /// client that leaves redirects to its caller (<paramref name="followRedirects"/> false) has a name of its own.
    /// </summary>
    public string NameOf(ProxySetting proxy, bool followRedirects = true)
    {
        var name = NamePrefix + proxy.Mode switch
        {
            ProxyMode.Invalid => $"invalid ({proxy.Problem})",
            _ when proxy.Credentials is not null => $"{proxy.Description} #{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(proxy.Identity)))[..12]}",
            _ => proxy.Description,
        } + (followRedirects ? "" : " (redirects not followed)");
        _byName.TryAdd(name, (proxy, followRedirects));
        return name;
    }

    /// <inheritdoc />
    public void Configure(string? name, HttpClientFactoryOptions factoryOptions)
    {
        if (name is null || !_byName.TryGetValue(name, out var client)) return;
        if (client.Proxy.Mode == ProxyMode.Invalid) InvalidProxy(client.Proxy.Problem);
        // Handlers are not recycled: PooledConnectionLifetime renews connections instead.
        factoryOptions.HandlerLifetime = Timeout.InfiniteTimeSpan;
        factoryOptions.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            var handler = CreateHandler(client.Proxy, options);
            handler.AllowAutoRedirect = client.FollowRedirects;
            builder.PrimaryHandler = handler;
        });
    }

    /// <inheritdoc />
    public void Configure(HttpClientFactoryOptions factoryOptions)
    {
        // Only named clients of this class are configured.
    }

    /// <summary>The handler for <paramref name="proxy"/>: the environment's proxy (inherit, invalid), none (direct), or the given one.</summary>
    internal static SocketsHttpHandler CreateHandler(ProxySetting proxy, OutboundHttpOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
        };
        switch (proxy.Mode)
        {
            case ProxyMode.Direct:
                handler.UseProxy = false;
                break;
            case ProxyMode.Proxy:
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(proxy.Address) { Credentials = proxy.Credentials };
                break;
            default:
                // UseProxy with no Proxy: HttpClient.DefaultProxy, read from HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY.
                break;
        }
        return handler;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "proxy-url ignored: {Problem}; the environment's proxy settings apply")]
    private partial void InvalidProxy(string problem);
}
