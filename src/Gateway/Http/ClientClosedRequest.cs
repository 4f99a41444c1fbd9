namespace CliProxy.Gateway.Http;

/// <summary>
/// The status a request is logged and counted with when its client went away before anything was answered: nginx's
/// 499 ("client closed request"). Nothing reaches the client, so it is neither a server error (500, the status of an
/// unhandled exception) nor the forwarder's view of a broken upstream call (its 400 or 502): the access line, the
/// request log and the proxy's metrics say that the client ended it.
/// </summary>
public static class ClientClosedRequest
{
    /// <summary>499.</summary>
    public const int Status = 499;

    /// <summary>
    /// The status of a request whose route threw <paramref name="error"/> before its answer started: 499 when the client
    /// left (its request aborted); a malformed request's own status, which the server answers (Kestrel's
    /// <see cref="BadHttpRequestException"/>: 400 for a body shorter than its declared length, 408 for one sent too
    /// slowly); otherwise 500, the server's answer to an unhandled exception.
    /// </summary>
    public static int StatusOf(HttpContext context, Exception error) =>
        context.RequestAborted.IsCancellationRequested ? Status
        : error is BadHttpRequestException bad ? bad.StatusCode
        : StatusCodes.Status500InternalServerError;
}
