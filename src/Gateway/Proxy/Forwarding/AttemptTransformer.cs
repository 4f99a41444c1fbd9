using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// The request and answer rules of one upstream attempt for YARP's forwarder. The request is the executor's
/// <see cref="UpstreamRequest"/> (URL, headers with the upstream's auth; its body goes as one buffered content through
/// <see cref="WholeBodyHandler"/>); client headers go upstream only as the executor merges them
/// (<see cref="ClientCall.Headers"/>); the client's own credentials (<c>Authorization</c>,
/// <c>X-Api-Key</c>, <c>X-Goog-Api-Key</c>, the <c>key</c>/<c>auth_token</c> query) never go upstream. A non-2xx answer
/// (or no answer) is read into <see cref="Failure"/> and the client's response is not started, so the next credential
/// can be tried; a 2xx answer is passed through unbuffered, its body seen by the usage scanner on the way (an event
/// stream with <c>: keep-alive</c> comments in its silences when <paramref name="keepAlive"/> is set) or, for
/// <see cref="UpstreamRequest.CollectStream"/>, collected into the final response object (<see cref="CollectedAnswer"/>).
/// </summary>
internal sealed class AttemptTransformer(UpstreamRequest upstream, ScanningStream.Observer observer, bool passthroughHeaders, TimeSpan keepAlive,
    TimeProvider time) : HttpTransformer
{
    /// <summary>The failure of this attempt, when the upstream answered non-2xx or not at all.</summary>
    public UpstreamFailure? Failure { get; private set; }

    /// <summary>The upstream's status (0 until it answered).</summary>
    public int Status { get; private set; }

    /// <inheritdoc />
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        // YARP's content (over HttpContext.Request.Body, already read) is replaced by the executor's whole body at send
        // time (WholeBodyHandler), so headers and body leave in one write.
        HttpContent? content = null;
        if (proxyRequest.Content is not null)
        {
            content = new ReadOnlyMemoryContent(upstream.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json"); // as sent: nothing to parse
            content.Headers.ContentLength = upstream.Body.Length;
            WholeBodyHandler.Attach(proxyRequest, content);
        }
        foreach (var (name, value) in upstream.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                content?.Headers.Remove(name);
                content?.Headers.TryAddWithoutValidation(name, value);
                continue;
            }
            proxyRequest.Headers.Remove(name);
            proxyRequest.Headers.TryAddWithoutValidation(name, value);
        }
        proxyRequest.RequestUri = upstream.Url;
        proxyRequest.Headers.Host = null;
        observer.Log?.Sent(proxyRequest, content, upstream.Body.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            var error = httpContext.Features.Get<IForwarderErrorFeature>();
            Failure = new UpstreamFailure(0, [], "", null, error?.Exception?.Message ?? error?.Error.ToString() ?? "no answer from upstream");
            return false;
        }
        Status = (int)proxyResponse.StatusCode;
        observer.Log?.Answered(proxyResponse);
        if (Status is < 200 or >= 300)
        {
            var body = await ReadBoundedAsync(proxyResponse.Content, cancellationToken);
            Failure = new UpstreamFailure(Status, body, proxyResponse.Content.Headers.ContentType?.ToString() ?? "",
                UpstreamErrors.RetryHint(Status, body, name => HeaderOf(proxyResponse, name), time.GetUtcNow()));
            return false;
        }
        if (upstream.CollectStream)
        {
            var (collected, failure) = await CollectedAnswer.CollectAsync(proxyResponse.Content, observer, cancellationToken);
            if (failure is not null)
            {
                Failure = failure;
                return false;
            }
            proxyResponse.Content = collected!;
            proxyResponse.Headers.TransferEncodingChunked = null;
            if (passthroughHeaders) await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = collected!.Headers.ContentLength;
            return true;
        }
        if (passthroughHeaders) await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        else
        {
            if (proxyResponse.Content.Headers.ContentType is { } type) httpContext.Response.ContentType = type.ToString();
            // The body passes byte for byte (no decompression), so a declared length holds for the client too: a whole answer
            // goes out with Content-Length, as the reference's whole answers and nginx's do, instead of chunked framing.
            httpContext.Response.ContentLength = proxyResponse.Content.Headers.ContentLength;
        }
        // Comments only into an open-ended event stream: a declared length leaves no room for them.
        var eventStream = proxyResponse.Content.Headers.ContentType?.MediaType == "text/event-stream" && proxyResponse.Content.Headers.ContentLength is null;
        proxyResponse.Content = new ScanningContent(proxyResponse.Content, observer, eventStream ? keepAlive : TimeSpan.Zero, time);
        return true;
    }

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[UpstreamFailure.BodyLimit];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0) total += n;
        return buffer[..total];
    }
}
