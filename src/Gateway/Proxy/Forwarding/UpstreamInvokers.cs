using System.Collections.Concurrent;
using CliProxy.Domain.Outbound;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// One <see cref="HttpMessageInvoker"/> (an <see cref="UpstreamPool"/>) per (upstream origin, outbound proxy) for the forwarder, created on first use and
/// kept for the life of the node: each is a <see cref="SocketsHttpHandler"/> connection pool (HTTP/1.1, or HTTP/2 where
/// TLS negotiates it) built by <see cref="OutboundHttp.NewForwardingHandler"/> with the node's outbound settings
/// (http, https and socks5 proxies; <c>Outbound:PooledConnectionLifetime</c> renews connections). Keyed by the proxy
/// URL as written (parsed only on first use: this runs on every attempt), so two spellings of one proxy get two pools.
/// </summary>
public sealed class UpstreamInvokers(OutboundHttp outbound) : IDisposable
{
    private readonly ConcurrentDictionary<(string Scheme, string Host, int Port, string ProxyUrl), Lazy<UpstreamPool>> _pools = new();

    /// <summary>The pool for <paramref name="upstream"/> through <paramref name="proxyUrl"/> (<c>""</c>: the environment's proxy settings).</summary>
    public UpstreamPool For(Uri upstream, string proxyUrl) =>
        _pools.GetOrAdd((upstream.Scheme, upstream.IdnHost, upstream.Port, proxyUrl), static (key, outbound) => new Lazy<UpstreamPool>(
            () => new UpstreamPool(new HttpMessageInvoker(new WholeBodyHandler(outbound.NewForwardingHandler(ProxySetting.Parse(key.ProxyUrl))), disposeHandler: true),
                new UriBuilder(key.Scheme, key.Host, key.Port).Uri.GetLeftPart(UriPartial.Authority))), outbound).Value;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var pool in _pools.Values)
            if (pool.IsValueCreated) pool.Value.Invoker.Dispose();
        _pools.Clear();
    }
}

/// <summary>One connection pool of the forwarder: its invoker and the origin it serves (<c>scheme://host:port</c>, made once).</summary>
/// <param name="Invoker">The pool's invoker.</param>
/// <param name="Origin">The upstream origin, YARP's destination prefix.</param>
public sealed record UpstreamPool(HttpMessageInvoker Invoker, string Origin);
