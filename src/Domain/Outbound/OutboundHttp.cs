namespace CliProxy.Domain.Outbound;

/// <summary>
/// Outbound HTTP for everything that calls other services (the release feed now; token exchanges and
/// refreshes, <c>/api-call</c> and the proxy later): an <see cref="HttpClient"/> of
/// <see cref="IHttpClientFactory"/> for a <c>proxy-url</c> value (the config's global one or a
/// credential's, see <see cref="ProxySetting"/> for what each value means). Clients of one proxy share a
/// handler and its connections; a client is cheap and may be disposed (its handler is not).
/// Registered by <see cref="OutboundHttpServiceCollectionExtensions.AddOutboundHttp"/>.
/// </summary>
public sealed class OutboundHttp
{
    private readonly IHttpClientFactory _factory;
    private readonly OutboundClients _clients;

    internal OutboundHttp(IHttpClientFactory factory, OutboundClients clients)
    {
        _factory = factory;
        _clients = clients;
    }

    /// <summary>
    /// A client that goes through <paramref name="proxyUrl"/> and gives up after <paramref name="timeout"/>
    /// (a whole request, the answer's body included unless it is read as a stream;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for streams that last). A timeout throws
    /// <see cref="TaskCanceledException"/> whose inner exception is a <see cref="TimeoutException"/>; the
    /// caller's cancellation token still cancels at once.
    /// </summary>
    public HttpClient For(string? proxyUrl, TimeSpan timeout) => For(ProxySetting.Parse(proxyUrl), timeout);

    /// <summary>As <see cref="For(string?, TimeSpan)"/>, for a setting read already.</summary>
    public HttpClient For(ProxySetting proxy, TimeSpan timeout) => For(proxy, timeout, followRedirects: true);

    /// <summary>
    /// As <see cref="For(ProxySetting, TimeSpan)"/>; with <paramref name="followRedirects"/> false a 3xx answer
    /// is returned as it is, for callers that check each hop of a redirect themselves (<c>/api-call</c>).
    /// </summary>
    public HttpClient For(ProxySetting proxy, TimeSpan timeout, bool followRedirects)
    {
        var client = _factory.CreateClient(_clients.NameOf(proxy, followRedirects));
        client.Timeout = timeout;
        return client;
    }

    /// <summary>
    /// A new handler for a reverse proxy's forwarder (YARP's <c>IHttpForwarder</c>) through <paramref name="proxy"/>, with this
    /// node's connect timeout and connection lifetime: no redirects followed, no decompression, no cookies, no activity
    /// headers (the forwarder passes answers through as they are). The caller keeps it for the life of the process:
    /// it is the connection pool.
    /// </summary>
    public System.Net.Http.SocketsHttpHandler NewForwardingHandler(ProxySetting proxy)
    {
        var handler = OutboundClients.CreateHandler(proxy, _clients.Options);
        handler.AllowAutoRedirect = false;
        handler.AutomaticDecompression = System.Net.DecompressionMethods.None;
        handler.UseCookies = false;
        handler.EnableMultipleHttp2Connections = true;
        handler.ActivityHeadersPropagator = null;
        return handler;
    }
}
