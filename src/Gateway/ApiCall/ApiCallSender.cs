using System.IO.Compression;
using System.Net;
using System.Text;
using CliProxy.Domain.Outbound;

namespace CliProxy.Gateway.ApiCall;

/// <summary>
/// Sends one <c>/api-call</c> request upstream (spec §3.2 steps 5–9) through the outbound client of the
/// chosen proxy: redirects followed here, hop by hop, as Go's client does (at most 10 requests; 301,
/// 302 and 303 turn into a body-less GET, 307 and 308 keep method and body; <c>Authorization</c> and
/// cookies dropped when the host changes; a <c>Host</c> override kept only for a relative redirect),
/// so that every hop passes <see cref="ApiCallTargets"/>. <c>Accept-Encoding: gzip</c> is asked for and
/// undone unless the caller set <c>Accept-Encoding</c>; the whole exchange is bounded by
/// <see cref="Timeout"/> and the body by <see cref="MaxResponseBytes"/> (the reference read any size,
/// spec §7 defect 18).
/// </summary>
public sealed class ApiCallSender(OutboundHttp outbound, ApiCallTargets targets, TimeProvider time, int maxResponseBytes = ApiCallSender.MaxResponseBytes)
{
    /// <summary>Longest one call may take, redirects and body included: 60 s.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Largest upstream body returned: 16 MiB (after gzip is undone).</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>Most requests of one call (Go: "stopped after 10 redirects").</summary>
    public const int MaxRequests = 10;

    private static readonly string[] SensitiveOnRedirect = ["Authorization", "Www-Authenticate", "Cookie", "Cookie2"];

    /// <summary>Sends <paramref name="call"/> (its headers already have their tokens) through <paramref name="proxy"/>.</summary>
    public async Task<ApiCallOutcome> SendAsync(ApiCallRequest call, ProxySetting proxy, CancellationToken aborted)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, aborted);
        using var client = outbound.For(proxy, System.Threading.Timeout.InfiniteTimeSpan, followRedirects: false);
        var hostOverride = call.Headers.FirstOrDefault(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value?.Trim() ?? "";
        var gzip = !call.Headers.Any(h => h.Key.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
        var (url, method, data) = (call.Url, call.Method, call.Data);
        var headers = call.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).ToList();
        for (var sent = 0; ; sent++)
        {
            if (await targets.RefusalAsync(url, linked.Token) is { } reason)
                return ApiCallOutcome.Refused(StatusCodes.Status403Forbidden, $"target refused: {reason}");
            HttpRequestMessage request;
            try
            {
                request = Build(method, url, headers, data, hostOverride, gzip);
            }
            catch (FormatException)
            {
                return ApiCallOutcome.Refused(StatusCodes.Status400BadRequest, "failed to build request");
            }
            HttpResponseMessage response;
            try
            {
                using (request) response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            }
            catch (Exception e) when (e is HttpRequestException or NotSupportedException or ArgumentException
                                          || (e is OperationCanceledException && !aborted.IsCancellationRequested))
            {
                return ApiCallOutcome.Refused(StatusCodes.Status502BadGateway, "request failed");
            }
            using (response)
            {
                if (RedirectTarget(response, url) is not { } next) return await ReadAsync(response, gzip, aborted, linked.Token);
                if (sent + 1 >= MaxRequests) return ApiCallOutcome.Refused(StatusCodes.Status502BadGateway, "request failed");
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303)
                {
                    if (method is not ("GET" or "HEAD")) method = "GET";
                    data = "";
                }
                if (response.Headers.Location!.IsAbsoluteUri) hostOverride = "";
                if (!SameSite(call.Url, next)) headers.RemoveAll(h => SensitiveOnRedirect.Contains(h.Key, StringComparer.OrdinalIgnoreCase));
                url = next;
            }
        }
    }

    private static HttpRequestMessage Build(string method, Uri url, List<KeyValuePair<string, string>> headers, string data, string hostOverride, bool gzip)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (data.Length > 0) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(data)); // no Content-Type added
        foreach (var (name, value) in headers)
        {
            if (request.Headers.TryAddWithoutValidation(name, value)) continue;
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.TryAddWithoutValidation(name, value);
        }
        if (hostOverride.Length > 0) request.Headers.Host = hostOverride;
        if (gzip) request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        return request;
    }

    /// <summary>Where a 301/302/303/307/308 answer with a <c>Location</c> points, resolved against <paramref name="url"/>; null for any other answer.</summary>
    private static Uri? RedirectTarget(HttpResponseMessage response, Uri url) =>
        (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
            ? new Uri(url, location)
            : null;

    /// <summary>Go's rule for credentials on a redirect: the same host or one of its subdomains.</summary>
    private static bool SameSite(Uri initial, Uri next)
    {
        var (a, b) = (initial.IdnHost.ToLowerInvariant(), next.IdnHost.ToLowerInvariant());
        return a == b || b.EndsWith("." + a, StringComparison.Ordinal);
    }

    private async Task<ApiCallOutcome> ReadAsync(HttpResponseMessage response, bool gzip, CancellationToken aborted, CancellationToken token)
    {
        var decompress = gzip && response.Content.Headers.ContentEncoding.Any(e => e.Equals("gzip", StringComparison.OrdinalIgnoreCase));
        byte[] body;
        try
        {
            await using var raw = await response.Content.ReadAsStreamAsync(token);
            await using var stream = decompress ? new GZipStream(raw, CompressionMode.Decompress) : raw;
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(chunk, token)) > 0)
            {
                if (buffer.Length + n > maxResponseBytes) return ApiCallOutcome.Refused(StatusCodes.Status502BadGateway, "response too large");
                buffer.Write(chunk, 0, n);
            }
            body = buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException
                                      || (e is OperationCanceledException && !aborted.IsCancellationRequested))
        {
            return ApiCallOutcome.Refused(StatusCodes.Status502BadGateway, "failed to read response");
        }
        var headers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            if (decompress && (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))) continue;
            var key = ApiCallRequest.CanonicalName(name);
            if (!headers.TryGetValue(key, out var list)) headers[key] = list = [];
            list.AddRange(values);
        }
        return ApiCallOutcome.Answered(new UpstreamAnswer((int)response.StatusCode, headers, Encoding.UTF8.GetString(body)));
    }
}
