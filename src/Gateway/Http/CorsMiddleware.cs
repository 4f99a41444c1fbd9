namespace CliProxy.Gateway.Http;

/// <summary>
/// CORS as the reference does it, made to work for browsers: every response allows any
/// origin and the usual methods; any <c>OPTIONS</c> request is a preflight answered 204 without
/// authentication. Because browsers do not let <c>*</c> cover <c>Authorization</c>, the requested
/// headers are echoed back, and the <c>X-CPA-*</c> headers, <c>X-Request-Id</c> and <c>ETag</c> are exposed to scripts.
/// </summary>
public sealed class CorsMiddleware(RequestDelegate next)
{
    /// <summary>Response headers a browser script may read.</summary>
    public const string ExposedHeaders = "X-CPA-VERSION, X-CPA-COMMIT, X-CPA-BUILD-DATE, X-CPA-NODE, X-Request-Id, ETag";

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
        var requested = context.Request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlAllowHeaders = requested.Length > 0 ? requested : "*";
        headers.AccessControlExposeHeaders = ExposedHeaders;
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
