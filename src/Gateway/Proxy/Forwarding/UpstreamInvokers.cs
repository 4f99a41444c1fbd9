using System.Collections.Concurrent;
using CliProxy.Domain.Outbound;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// One <see cref="HttpMessageInvoker"/> per (upstream origin, outbound proxy) for the forwarder, created on first use and
/// kept for the life of the node: each is a <see cref="SocketsHttpHandler"/> connection pool (HTTP/1.1, or HTTP/2 where
/// TLS negotiates it) built by <see cref="OutboundHttp.NewForwardingHandler"/> with the node's outbound settings
/// (http, https and socks5 proxies; <c>Outbound:PooledConnectionLifetime</c> renews connections). Keyed by the proxy
/// URL as written (parsed only on first use: this runs on every attempt), so two spellings of one proxy get two pools.
/// </summary>
public sealed class UpstreamInvokers(OutboundHttp outbound) : IDisposable
{
    private readonly ConcurrentDictionary<(string Scheme, string Host, int Port, string ProxyUrl), Lazy<HttpMessageInvoker>> _invokers = new();

    /// <summary>The invoker for <paramref name="upstream"/> through <paramref name="proxyUrl"/> (<c>""</c>: the environment's proxy settings).</summary>
    public HttpMessageInvoker For(Uri upstream, string proxyUrl) =>
        _invokers.GetOrAdd((upstream.Scheme, upstream.IdnHost, upstream.Port, proxyUrl), static (key, outbound) => new Lazy<HttpMessageInvoker>(
            () => new HttpMessageInvoker(new WholeBodyHandler(outbound.NewForwardingHandler(ProxySetting.Parse(key.ProxyUrl))), disposeHandler: true)), outbound).Value;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
            if (invoker.IsValueCreated) invoker.Value.Dispose();
        _invokers.Clear();
    }
}
