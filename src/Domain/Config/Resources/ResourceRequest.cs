namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// What a <see cref="ConfigResource"/> needs of a management request: the HTTP method, the raw body
/// (null when there was none) and the query parameters (first value of each name). The config grain
/// builds it from the request it received (which also carries the grain-level parts, e.g. the
/// <c>Idempotency-Key</c>), so the resources know nothing of grains.
/// </summary>
/// <param name="Method">HTTP method in upper case: <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</param>
/// <param name="Body">Request body as UTF-8 text, or null.</param>
/// <param name="Query">Query parameters.</param>
public sealed record ResourceRequest(string Method, string? Body, IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The query parameter <paramref name="name"/>, or null.</summary>
    public string? Param(string name) => Query.TryGetValue(name, out var v) ? v : null;
}
