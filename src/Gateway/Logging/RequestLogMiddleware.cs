using CliProxy.Domain.Logging;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Management;
using Microsoft.AspNetCore.Http.Features;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The first middleware of every request (spec §2.3, §2.4): gives the request an id (the
/// <see cref="CurrentRequestId"/> of everything logged on its behalf, and the <see cref="RequestIds.RequestIdHeader"/> answer header),
/// names the answering node (<see cref="RequestIds.NodeHeader"/>: logs are per node), writes the
/// access-log entry when the request ends, and writes the request's log file: every candidate while
/// <c>request-log</c> is on, only those answered 400 or above (as <c>error-…</c>; not one whose client left before its
/// answer, logged <see cref="ClientClosedRequest.Status"/>: nothing to diagnose, and such files would push real errors
/// out of <c>error-logs-max-files</c>) while it is off,
/// nothing in <c>commercial-mode</c>. Candidates are all requests except GETs (a WebSocket upgrade of
/// <c>/v1/responses</c> excepted), management routes and <c>/api/*</c> other than <c>/api/provider/*</c>.
/// </summary>
public sealed partial class RequestLogMiddleware(
    RequestDelegate next,
    RequestIds ids,
    CurrentRequestId requestId,
    LogLocation location,
    LogSettingsSource settings,
    BuildInfo build,
    ClientAddressResolver clients,
    TimeProvider time,
    ILogger<RequestLogMiddleware> logger)
{
    /// <summary>
    /// Bodies of at most this size (declared) are logged even when the route did not read them (the rest is
    /// read after the route, for a request whose log is written): 1 MiB.
    /// </summary>
    public const long ReadAheadLimit = 1024 * 1024;

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var id = ids.Next();
        context.Response.Headers[RequestIds.RequestIdHeader] = id;
        context.Response.Headers[RequestIds.NodeHeader] = location.NodeName;
        using var entered = requestId.Enter(context.Request, id, logger);
        var started = time.GetTimestamp();
        var arrived = time.GetLocalNow();
        var current = settings.Current;
        var capture = !current.CommercialMode && IsCandidate(context.Request) ? BeginCapture(context, current.RequestLog, time) : (Capture?)null;
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            if (capture is not null) await capture.Value.Body.CompleteAsync();
            status = context.Response.StatusCode;
        }
        catch (Exception e)
        {
            // Already sent: its status; otherwise what the server answers — or 499 when the client left.
            status = context.Response.HasStarted ? context.Response.StatusCode : ClientClosedRequest.StatusOf(context, e);
            throw;
        }
        finally
        {
            if (capture is not null) context.Features.Set(capture.Value.Original);
            LogAccess(context, status, time.GetElapsedTime(started));
            if (capture is { } c && (c.Full || (status >= 400 && status != ClientClosedRequest.Status)))
            {
                if (c.ReadRest && c.RequestTee is { } tee) await ReadRestAsync(tee, context.RequestAborted);
                await WriteRequestLogAsync(context, id, arrived, status, c);
            }
        }
    }

    /// <summary>Whether a request's log file may be written (spec §2.4).</summary>
    public static bool IsCandidate(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method)
            && !(path == "/v1/responses" && request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase)))
            return false;
        if (path.StartsWith("/v0/management", StringComparison.Ordinal) || path.StartsWith("/management", StringComparison.Ordinal)) return false;
        return !(path.StartsWith("/api", StringComparison.Ordinal) && !path.StartsWith("/api/provider", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts capturing: the request body as the route reads it (with a declared length of at most
    /// <see cref="ReadAheadLimit"/>, not multipart, in either mode; any body while <c>request-log</c> is on), and
    /// the response body (while <c>request-log</c> is off, only once the status is 400 or above). Nothing is read
    /// ahead and nothing copied twice: a request that succeeds costs a tee of its body. While <c>request-log</c> is on
    /// the request also gets an <see cref="UpstreamExchangeLog"/> for the proxy's attempts.
    /// </summary>
    private static Capture BeginCapture(HttpContext context, bool full, TimeProvider time)
    {
        var request = context.Request;
        var requestBody = new BodyCapture(BodyCapture.DefaultLimit, request.ContentLength);
        var multipart = request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        var small = request.ContentLength is > 0 and <= ReadAheadLimit && !multipart;
        // The tee is kept: a route may replace the request's body (the proxy gives YARP a stand-in, SwappedBody).
        var tee = small || full ? new CaptureStream(request.Body, requestBody) : null;
        if (tee is not null) request.Body = tee;
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var responseBody = new BodyCapture(BodyCapture.DefaultLimit);
        var stream = new CaptureStream(original.Stream, responseBody, full ? null : context.Response);
        var body = new StreamResponseBodyFeature(stream, original);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        return new Capture(full, small, tee, original, body, requestBody, responseBody, full ? UpstreamExchangeLog.AttachTo(context, time) : null);
    }

    /// <summary>Reads what the route left of a small body through the capture, so the log holds all of it (spec §2.4).</summary>
    private async Task ReadRestAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await body.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException or InvalidOperationException)
        {
            LogBodyNotRead(e.Message); // the client went away, or the server no longer allows reading: log what was read
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteRequestLogAsync(HttpContext context, string id, DateTimeOffset arrived, int status, Capture capture)
    {
        var request = context.Request;
        var name = LogFileNames.RequestLog(request.Path.Value ?? "", arrived, id, errorOnly: !capture.Full);
        var file = new RequestLogFile(build.Version, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", arrived,
            Pairs(request.Headers), capture.RequestBody, status, Pairs(context.Response.Headers), capture.ResponseBody, capture.Upstream);
        try
        {
            await file.WriteAsync(location.Directory, name, CancellationToken.None);
            if (!capture.Full) LogCleanup.EnforceErrorLogRetention(location.Directory, settings.Current.ErrorLogsMaxFiles);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRequestLogFailed(name, e.Message);
        }
    }

    private void LogAccess(HttpContext context, int status, TimeSpan latency)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        // Health probes arrive every second from load balancers: kept out of the log at the default level.
        var level = path is "/healthz" or "/readyz" ? LogLevel.Debug : AccessLine.LevelOf(status);
        if (!logger.IsEnabled(level)) return;
        var entry = new AccessLine.Entry(status, latency, clients.Resolve(context).ToString(), request.Method, SecretMask.PathAndQuery(path, request.QueryString.Value ?? ""));
        // Not a [LoggerMessage]: the entry's parts reach the loggers, and main.log writes them as UTF-8 without a string.
        logger.Log(level, AccessLine.EventId, entry, null, AccessLine.Entry.Message);
    }

    private static List<KeyValuePair<string, string>> Pairs(IHeaderDictionary headers) =>
        headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();

    /// <summary>
    /// A request's capture; <paramref name="ReadRest"/>: a small body the log must hold whole, read through <paramref name="RequestTee"/>;
    /// <paramref name="Upstream"/>: the proxy's attempts (request-log on).
    /// </summary>
    private readonly record struct Capture(bool Full, bool ReadRest, Stream? RequestTee, IHttpResponseBodyFeature Original, StreamResponseBodyFeature Body, BodyCapture RequestBody, BodyCapture ResponseBody,
        UpstreamExchangeLog? Upstream);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The rest of a request body could not be read for its request log: {Error}")]
    private partial void LogBodyNotRead(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request log {Name} not written: {Error}")]
    private partial void LogRequestLogFailed(string name, string error);
}
