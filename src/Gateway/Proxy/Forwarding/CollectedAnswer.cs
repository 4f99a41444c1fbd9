using System.Net.Http.Headers;
using System.Text;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// The answer of an attempt whose upstream streams although the client asked for none
/// (<see cref="UpstreamRequest.CollectStream"/>, Codex OAuth): the event stream is read to its end (its bytes shown to
/// the attempt's usage scanner on the way) and replaced by the terminal event's <c>response</c> object as JSON. A
/// stream that ends without a terminal event is a failed attempt (502), as in the reference.
/// </summary>
internal static class CollectedAnswer
{
    /// <summary>Reads <paramref name="upstream"/> to its end: the collected response, or the failure.</summary>
    public static async Task<(HttpContent? Content, UpstreamFailure? Failure)> CollectAsync(HttpContent upstream, ScanningStream.Observer observer,
        CancellationToken cancellationToken)
    {
        var collector = new ResponsesCompletedCollector();
        await using (var stream = new ScanningStream(await upstream.ReadAsStreamAsync(cancellationToken), observer))
        {
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0) collector.Feed(buffer.AsSpan(0, n));
        }
        collector.Complete();
        upstream.Dispose();
        if (collector.Response is not { } response)
            return (null, new UpstreamFailure(502, Encoding.UTF8.GetBytes("""{"error":{"message":"upstream stream ended before response.completed","type":"upstream_error"}}"""),
                "application/json", null, "upstream stream ended before response.completed"));
        var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return (content, null);
    }
}
