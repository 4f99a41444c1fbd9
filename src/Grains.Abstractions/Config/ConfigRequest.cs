using CliProxy.Abstractions.Calls;
using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Abstractions.Config;

/// <summary>
/// A management request against one config resource, as the gateway received it: the HTTP
/// method, the raw body (null when there was none) and the query parameters (first value of
/// each name). The owning grain parses and validates it, so the rules live in one place.
/// </summary>
/// <param name="Method">HTTP method in upper case: <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</param>
/// <param name="Body">Request body as UTF-8 text, or null.</param>
/// <param name="Query">Query parameters.</param>
/// <param name="Idempotency">The request's <c>Idempotency-Key</c>, or a key the gateway assigned
/// (<see cref="IdempotencyToken.Assign"/>), or null: a change already applied under the same key is
/// answered 200 without being applied again.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigRequest(
    [property: Id(0)] string Method,
    [property: Id(1)] string? Body,
    [property: Id(2)] Dictionary<string, string> Query,
    [property: Id(3)] IdempotencyToken? Idempotency = null) : IRetrySafeRequest
{
    /// <summary>
    /// A PUT replaces the whole value, so running it twice is harmless; PATCH and DELETE may not be,
    /// unless they carry an <see cref="Idempotency"/> key (the client's, or one the gateway assigned):
    /// the config grain then applies them once however often they arrive.
    /// </summary>
    public bool IsRetrySafe => Method == "PUT" || Idempotency is not null;

    /// <summary>The query parameter <paramref name="name"/>, or null.</summary>
    public string? Param(string name) => Query.TryGetValue(name, out var v) ? v : null;
}
