using System.Collections.Concurrent;
using CliProxy.Domain.Outbound;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// One <see cref="HttpMessageInvoker"/> per (upstream origin, outbound proxy) for the forwarder, created on first use and
/// kept for the life of the node: each is a <see cref="SocketsHttpHandler"/> connection pool (HTTP/1.1, or HTTP/2 where
/// TLS negotiates it) built by <see cref="OutboundHttp.NewForwardingHandler"/> with the node's outbound settings
/// (http, https and socks5 proxies; <c>Outbound:PooledConnectionLifetime</c> renews connections).
/// </summary>
public sealed class UpstreamInvokers(OutboundHttp outbound) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpMessageInvoker>> _invokers = new(StringComparer.Ordinal);

    /// <summary>The invoker for <paramref name="upstream"/> through <paramref name="proxyUrl"/> (<c>""</c>: the environment's proxy settings).</summary>
    public HttpMessageInvoker For(Uri upstream, string proxyUrl)
    {
        var proxy = ProxySetting.Parse(proxyUrl);
        var key = upstream.GetLeftPart(UriPartial.Authority) + "\n" + proxy.Identity;
        return _invokers.GetOrAdd(key, _ => new Lazy<HttpMessageInvoker>(
            () => new HttpMessageInvoker(outbound.NewForwardingHandler(proxy), disposeHandler: true))).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
            if (invoker.IsValueCreated) invoker.Value.Dispose();
        _invokers.Clear();
    }
}
