using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Proxy.Access;
using CliProxy.Gateway.Proxy.Routing;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>
/// Serves the proxy's calls (the routes a coding tool sends its prompts to): the client-key check
/// (<see cref="ClientKeyFilter.AdmitAsync"/>, run here rather than as a filter: every call passes it), the call read
/// once (<see cref="ClientCallReader"/>), handed to the <see cref="ProxyConductor"/>, an error it returns answered by
/// <see cref="ProxyAnswers"/>, and the request's metrics (a refused key too, as <c>401</c>; a client that left, as <c>499</c>). One instance per node, its
/// services resolved once: a call makes no request scope.
/// </summary>
public sealed class ProxyCalls(ClientKeyFilter access, ProxyConductor conductor, IProxyMetrics metrics, TimeProvider time)
{
    /// <summary>Answers the router's plain 404 (no body) to a key that passes the check, the check's 401 to one that does not.</summary>
    public async Task NotFoundAsync(HttpContext context)
    {
        var (request, refusal) = await access.AdmitAsync(context);
        if (request is null) await refusal!.ExecuteAsync(context);
        else context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary>Serves one call of <paramref name="protocol"/> on <paramref name="route"/> (its metrics label); Gemini routes give the model and stream from the path.</summary>
    public async Task ServeAsync(HttpContext context, ClientProtocol protocol, string route, string? pathModel, bool? pathStream)
    {
        var started = time.GetTimestamp();
        var (request, refusal) = await access.AdmitAsync(context);
        if (request is null)
        {
            await refusal!.ExecuteAsync(context);
            metrics.RequestCompleted(route, pathModel ?? "", "", context.Response.StatusCode, time.GetElapsedTime(started));
            return;
        }
        var settings = request.State.Config.Settings;
        var (call, model, error) = await ReadAsync(context, protocol, route, request.ClientKey, pathModel, pathStream, started);
        if (call is { Stream: true } && protocol == ClientProtocol.OpenAIResponsesCompact)
            (call, error) = (null, ProxyError.BadRequest("streaming not supported for /responses/compact"));
        if (call is not null)
            error = await conductor.ServeAsync(context, new ProxyCall(call, model, request.ClientKey, route, settings), request.State.Catalogue, context.RequestAborted);
        if (error is not null) await ProxyAnswers.WriteAsync(context, error, settings.PassthroughHeaders);
        metrics.RequestCompleted(route, model.Base ?? "", request.ClientKey, context.Response.StatusCode, time.GetElapsedTime(started));
    }

    /// <summary>The call read once; a client that leaves while sending its body is counted as <see cref="ClientClosedRequest.Status"/> before the read's exception goes on.</summary>
    private async ValueTask<(ClientCall? Call, ModelName Model, ProxyError? Error)> ReadAsync(HttpContext context, ClientProtocol protocol, string route, string clientKey,
        string? pathModel, bool? pathStream, long started)
    {
        try
        {
            return await ClientCallReader.ReadAsync(context.Request, protocol, pathModel, pathStream, context.RequestAborted);
        }
        catch when (context.RequestAborted.IsCancellationRequested)
        {
            metrics.RequestCompleted(route, pathModel ?? "", clientKey, ClientClosedRequest.Status, time.GetElapsedTime(started));
            throw;
        }
    }
}
