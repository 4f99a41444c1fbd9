using System.Text;

namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// A failed upstream attempt as the proxy answers it: the status (0 for a transport error), the error body as the
/// upstream sent it (bounded), its content type, and the upstream's retry hint (<c>Retry-After</c>).
/// </summary>
/// <param name="Status">Upstream HTTP status, 0 when no answer came.</param>
/// <param name="Body">The error body (at most <see cref="BodyLimit"/> bytes).</param>
/// <param name="ContentType">The body's content type, or <c>""</c>.</param>
/// <param name="RetryHint">The upstream's retry hint, if any.</param>
/// <param name="Message">For a transport error, what went wrong.</param>
public sealed record UpstreamFailure(int Status, byte[] Body, string ContentType, TimeSpan? RetryHint, string Message = "")
{
    /// <summary>The largest error body kept.</summary>
    public const int BodyLimit = 64 * 1024;

    /// <summary>A <c>400</c> whose error mentions <c>invalid_request_error</c>: returned to the client at once, never retried (spec usage §5.5).</summary>
    public bool IsInvalidRequest => Upstreams.UpstreamErrors.IsInvalidRequest(Status, Body);

    /// <summary>Whether a stream that failed before its first byte may re-run the selection (<c>streaming.bootstrap-retries</c>): 401, 402, 403, 408, 429, ≥ 500, or unknown.</summary>
    public bool AllowsBootstrapRetry => Status is 0 or 401 or 402 or 403 or 408 or 429 or >= 500;

    /// <summary>The body as text (for messages).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);
}
