using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Gateway.Idempotency;

/// <summary>Runs an endpoint with its response body going to a buffer, so the answer can be stored before it is sent.</summary>
public static class ResponseCapture
{
    /// <summary>
    /// Runs <paramref name="endpoint"/> and executes the <see cref="IResult"/> it returns into a buffer;
    /// returns the status, content type and body. Headers the endpoint sets stay on the response.
    /// An endpoint that returns something other than an <see cref="IResult"/> or null is answered with 500
    /// (every management write returns an <see cref="IResult"/>).
    /// </summary>
    public static async Task<IdempotentResponse> RunAsync(HttpContext http, Func<ValueTask<object?>> endpoint)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            var result = await endpoint();
            if (result is IResult executable) await executable.ExecuteAsync(http);
            else if (result is not null) throw new InvalidOperationException($"{http.Request.Path} returned {result.GetType().Name}, not an IResult");
        }
        finally
        {
            http.Response.Body = original;
        }
        return new IdempotentResponse(http.Response.StatusCode, http.Response.ContentType ?? "", buffer.ToArray());
    }
}
