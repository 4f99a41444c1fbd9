namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// Sends an attempt's body as one buffered <see cref="HttpContent"/> instead of YARP's streaming copy. YARP's request
/// content flushes the headers before it copies the body (for duplex streams), so every upstream request took two
/// socket writes; the executor's body is already whole in memory, so the transformer attaches it
/// (<see cref="Attach"/>) and this handler, the first of the forwarding pool's handlers, puts it in place of YARP's
/// content: headers and a small body leave in one write. YARP's content, never started, is then not awaited by the
/// forwarder. A request without an attached body is sent as it is.
/// </summary>
internal sealed class WholeBodyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly HttpRequestOptionsKey<HttpContent> Body = new("CliProxy.WholeBody");

    /// <summary>Makes <paramref name="body"/> the content <paramref name="request"/> is sent with.</summary>
    public static void Attach(HttpRequestMessage request, HttpContent body) => request.Options.Set(Body, body);

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Body, out var body)) request.Content = body;
        return base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Body, out var body)) request.Content = body;
        return base.Send(request, cancellationToken);
    }
}
