namespace CliProxy.Gateway.Http;

/// <summary>Where a client key was presented (the reference's <c>source</c> of an accepted key).</summary>
public enum ClientKeySource
{
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>, or a bare <c>Authorization</c> value.</summary>
    Authorization,

    /// <summary><c>X-Goog-Api-Key</c> (Gemini clients).</summary>
    GoogApiKey,

    /// <summary><c>X-Api-Key</c> (Anthropic clients).</summary>
    ApiKey,

    /// <summary>The query parameter <c>key</c>.</summary>
    QueryKey,

    /// <summary>The query parameter <c>auth_token</c>.</summary>
    QueryAuthToken,
}

/// <summary>One key a request presents to the proxy, and where.</summary>
/// <param name="Value">The key, non-empty.</param>
/// <param name="Source">Where it was found.</param>
public readonly record struct PresentedClientKey(string Value, ClientKeySource Source);

/// <summary>
/// The one reading of the keys a request presents: the management key (<c>/v0/management</c>), the local
/// password (<c>/keep-alive</c>) and client keys (<c>/v1</c>, next). Each follows the reference's own
/// reading, which differ in trimming; all split <c>Authorization</c> at its first space and take the
/// rest when the first part is <c>bearer</c> (any case), else the whole value. The string overloads are
/// the rules; the <see cref="HttpRequest"/> overloads only read the headers and query.
/// </summary>
public static class PresentedKeys
{
    /// <summary>Header of the management key when <c>Authorization</c> gives none.</summary>
    public const string ManagementKeyHeader = "X-Management-Key";

    /// <summary>Header of the local password when <c>Authorization</c> gives none.</summary>
    public const string LocalPasswordHeader = "X-Local-Password";

    /// <summary>The management key of <paramref name="request"/> (see <see cref="Management(string?, string?)"/>).</summary>
    public static string Management(HttpRequest request) =>
        Management(request.Headers.Authorization.ToString(), request.Headers[ManagementKeyHeader].ToString());

    /// <summary>
    /// The management key (spec: management-auth §3): the bearer token of <paramref name="authorization"/>,
    /// not trimmed (<c>Bearer  k</c> presents <c>" k"</c>), or its whole value for another scheme; when that
    /// is empty, <paramref name="managementKey"/> (<c>X-Management-Key</c>). A lone <c>Bearer</c> is a bearer
    /// scheme without a token, so it falls back too (Kestrel trims <c>Bearer </c> to <c>Bearer</c>). Empty when
    /// no key is presented: a request that presents none is not a wrong guess.
    /// </summary>
    public static string Management(string? authorization, string? managementKey)
    {
        var auth = authorization ?? "";
        var key = auth.Equals("bearer", StringComparison.OrdinalIgnoreCase) ? "" : Bearer(auth) ?? auth;
        return key.Length > 0 ? key : managementKey ?? "";
    }

    /// <summary>The local password of <paramref name="request"/> (see <see cref="LocalPassword(string?, string?)"/>).</summary>
    public static string LocalPassword(HttpRequest request) =>
        LocalPassword(request.Headers.Authorization.ToString(), request.Headers[LocalPasswordHeader].ToString());

    /// <summary>
    /// The local password presented to <c>/keep-alive</c> (spec: management-config §4.2): <paramref name="authorization"/>
    /// trimmed, its bearer token trimmed or else its whole value; when that is empty,
    /// <paramref name="localPassword"/> (<c>X-Local-Password</c>) trimmed.
    /// </summary>
    public static string LocalPassword(string? authorization, string? localPassword)
    {
        var auth = (authorization ?? "").Trim();
        var given = Bearer(auth)?.Trim() ?? auth;
        return given.Length > 0 ? given : (localPassword ?? "").Trim();
    }

    /// <summary>The client keys of <paramref name="request"/>: first values of the headers and query parameters (see <see cref="Client(string?, string?, string?, string?, string?)"/>).</summary>
    public static IReadOnlyList<PresentedClientKey> Client(HttpRequest request)
    {
        // Read on every proxy call: the first values taken by index (LINQ's FirstOrDefault boxes each StringValues), and
        // the query parsed only when there is one.
        var query = request.QueryString.HasValue;
        return Client(First(request.Headers.Authorization), First(request.Headers["X-Goog-Api-Key"]), First(request.Headers["X-Api-Key"]),
            query ? First(request.Query["key"]) : null, query ? First(request.Query["auth_token"]) : null);
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values) => values.Count > 0 ? values[0] : null;

    /// <summary>
    /// The keys a proxy request presents, in the order the reference tries them against <c>api-keys</c>
    /// (the first that is a client key is accepted): the bearer token of <paramref name="authorization"/>
    /// trimmed (or its whole value for another scheme, a lone <c>Bearer</c> included), <c>X-Goog-Api-Key</c>,
    /// <c>X-Api-Key</c>, <c>?key=</c>, <c>?auth_token=</c>. Empty values are left out; an empty list means no
    /// key was presented (the reference's "missing" rather than "invalid").
    /// </summary>
    public static IReadOnlyList<PresentedClientKey> Client(string? authorization, string? googApiKey, string? apiKey, string? queryKey, string? queryAuthToken)
    {
        var keys = new List<PresentedClientKey>(1);
        void Add(string? value, ClientKeySource source)
        {
            if (!string.IsNullOrEmpty(value)) keys.Add(new PresentedClientKey(value, source));
        }
        Add(authorization is { Length: > 0 } auth ? Bearer(auth)?.Trim() ?? auth : null, ClientKeySource.Authorization);
        Add(googApiKey, ClientKeySource.GoogApiKey);
        Add(apiKey, ClientKeySource.ApiKey);
        Add(queryKey, ClientKeySource.QueryKey);
        Add(queryAuthToken, ClientKeySource.QueryAuthToken);
        return keys;
    }

    /// <summary>The part after the first space when the part before it is <c>bearer</c> (any case); null otherwise.</summary>
    private static string? Bearer(string authorization)
    {
        var space = authorization.IndexOf(' ');
        return space >= 0 && authorization.AsSpan(0, space).Equals("bearer", StringComparison.OrdinalIgnoreCase) ? authorization[(space + 1)..] : null;
    }
}
