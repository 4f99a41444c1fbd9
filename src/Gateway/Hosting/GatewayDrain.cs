namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Graceful stop of a gateway behind a load balancer: when the stop begins, <c>/readyz</c> answers 503
/// and every response carries <c>Connection: close</c>, while requests keep being served for
/// <see cref="Delay"/> (setting <c>Http:DrainDelay</c>); only then does the HTTP server stop accepting
/// connections and complete the requests it accepted. A client that reuses a kept-alive connection
/// would otherwise race the server closing it and see its request fail with no answer; during the
/// drain every connection in use is closed by the server after an answer instead, and new ones go
/// elsewhere once the balancer saw the 503.
/// </summary>
public sealed class GatewayDrain(TimeSpan delay, TimeProvider time, ILogger<GatewayDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    /// <summary>How long requests are still served after the stop began (zero: stop at once).</summary>
    public TimeSpan Delay => delay;

    /// <summary>True from the start of the stop: not ready, connections are not kept alive.</summary>
    public bool IsDraining => _draining;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        if (delay <= TimeSpan.Zero) return;
        logger.LogInformation("Stopping: draining for {Delay} (readyz 503, connections closed after each answer)", delay);
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out: stop now.
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Middleware: while draining, the connection is closed after the answer.</summary>
    public Task CloseConnectionsWhileDraining(HttpContext context, RequestDelegate next)
    {
        if (_draining) context.Response.Headers.Connection = "close";
        return next(context);
    }
}
