using CliProxy.Domain.Proxy.Routing;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>The one place where a <see cref="ProxyError"/> becomes an HTTP answer.</summary>
public static class ProxyAnswers
{
    /// <summary>Writes <paramref name="error"/>; its <c>Retry-After</c> only under <c>passthrough-headers</c> (spec usage §5.3 step 5).</summary>
    public static async Task WriteAsync(HttpContext context, ProxyError error, bool passthroughHeaders)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = error.ContentType;
        if (passthroughHeaders && error.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.Body.WriteAsync(error.Body, context.RequestAborted);
    }
}
