using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every management write (POST, PUT, PATCH, DELETE), as an endpoint filter
/// after the access filter (unauthenticated requests never reach it). A write with the header claims
/// its key in the key's <see cref="IIdempotencyGrain"/> shard; a key that already has an answer is
/// answered with it (status, content type and body, plus <c>Idempotent-Replayed: true</c>) without
/// running the request; a key whose request still runs is refused (<see cref="Refusals.IdempotencyInProgress"/>), a key used
/// for a different request (method, path, query or body) too (<see cref="Refusals.IdempotencyKeyReused"/>), and a malformed key
/// (<see cref="Refusals.InvalidIdempotencyKey"/>). Otherwise the request runs
/// with its key available to the endpoint (<see cref="TokenOf"/>, passed to the config grain), and its
/// answer is stored — unless it is a 5xx or the request failed, whose outcome may be unknown: then the
/// key is given back, and a retry runs the request again (the config grain, which recorded the key
/// with the change, still applies a change only once). Requests without the header are untouched.
/// </summary>
public sealed class IdempotencyFilter(IGrainFactory grains, ConfigSnapshotCache configs, ManagementSecrets secrets, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    /// <summary>Header added to a replayed answer.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The <c>Idempotency-Key</c> of the request being run, or null (no header, or not a write).</summary>
    public static IdempotencyToken? TokenOf(HttpContext http) => http.Features.Get<IdempotencyToken>();

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IdempotencyRequest.IsWrite(http.Request.Method) || !http.Request.Headers.TryGetValue(IdempotencyRequest.Header, out var header))
            return await next(context);
        if (IdempotencyRequest.ValidKey(header) is not { } key) return JsonResponses.Refuse(Refusals.InvalidIdempotencyKey);

        var identity = IdempotencyRequest.Identity(http.Request, secrets, (await configs.GetAsync()).SecretHash);
        var token = new IdempotencyToken(IdempotencyRequest.Scope(identity, key), await IdempotencyRequest.FingerprintAsync(http.Request, http.RequestAborted));
        var shard = grains.GetGrain<IIdempotencyGrain>(IdempotencyLimits.ShardOf(token));
        var attempt = Guid.NewGuid();
        var claim = await shard.Begin(token, attempt);
        switch (claim.Decision)
        {
            case IdempotencyDecision.Replay:
                await Write(http, claim.Response!, replayed: true);
                return Results.Empty;
            case IdempotencyDecision.InProgress:
                return JsonResponses.Refuse(Refusals.IdempotencyInProgress);
            case IdempotencyDecision.Mismatch:
                return JsonResponses.Refuse(Refusals.IdempotencyKeyReused);
        }

        http.Features.Set(token);
        IdempotentResponse response;
        try
        {
            response = await ResponseCapture.RunAsync(http, () => next(context));
        }
        catch
        {
            await Release(shard, token, attempt);
            throw;
        }
        if (response.Status >= 500) await Release(shard, token, attempt);
        else
        {
            try
            {
                await shard.Complete(token, attempt, response);
            }
            catch (Exception e)
            {
                // The request ran and its answer goes out; only a later retry misses the stored answer.
                logger.LogWarning("Could not store the answer of an Idempotency-Key request: {Error}", e.Message);
            }
        }
        await Write(http, response, replayed: false);
        return Results.Empty;
    }

    private async Task Release(IIdempotencyGrain shard, IdempotencyToken token, Guid attempt)
    {
        try
        {
            await shard.Release(token, attempt);
        }
        catch (Exception e)
        {
            // The claim lapses by itself after IdempotencyLimits.InFlightLease.
            logger.LogWarning("Could not release an Idempotency-Key: {Error}", e.Message);
        }
    }

    private static Task Write(HttpContext http, IdempotentResponse response, bool replayed)
    {
        http.Response.StatusCode = response.Status;
        if (response.ContentType.Length > 0) http.Response.ContentType = response.ContentType;
        if (replayed) http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentLength = response.Body.Length;
        return response.Body.Length == 0 ? Task.CompletedTask : http.Response.Body.WriteAsync(response.Body, http.RequestAborted).AsTask();
    }
}
