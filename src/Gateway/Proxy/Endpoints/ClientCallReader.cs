using System.Text.Json;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>
/// Reads a client request once into a <see cref="ClientCall"/> and its model: the JSON body (at most
/// <see cref="BodyLimit"/>), <c>model</c> and <c>stream</c> from it (Gemini: from the path), and the query without the
/// client-auth parameters <c>key</c> and <c>auth_token</c>.
/// </summary>
public static class ClientCallReader
{
    /// <summary>Headers that carry the client's own key: never handed to executors.</summary>
    private static readonly HashSet<string> ClientAuthHeaders = new(["Authorization", "X-Goog-Api-Key", "X-Api-Key", "Cookie"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest request body accepted: 64 MiB (prompts with images).</summary>
    public const long BodyLimit = 64L * 1024 * 1024;

    /// <summary>The call, or the error to answer (a body that is not JSON, not a JSON object, or without a model).</summary>
    public static async ValueTask<(ClientCall? Call, ModelName Model, ProxyError? Error)> ReadAsync(HttpRequest request, ClientProtocol protocol, string? pathModel, bool? pathStream, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        string? model = pathModel;
        var stream = pathStream ?? false;
        try
        {
            if (!ReadTopLevel(body, ref model, ref stream, pathModel is null, pathStream is null))
                return (null, default, ProxyError.BadRequest("request body must be a JSON object"));
        }
        catch (JsonException e)
        {
            return (null, default, ProxyError.BadRequest("invalid JSON body: " + e.Message));
        }
        if (string.IsNullOrWhiteSpace(model)) return (null, default, ProxyError.BadRequest("model is required"));
        return (new ClientCall(protocol, body, stream, QueryWithoutKeys(request)) { Headers = HeadersOf(request) }, ModelName.Parse(model), null);
    }

    /// <summary>
    /// Reads <c>model</c> (a string) and <c>stream</c> (<c>true</c>) from the body's top level, the last of each name
    /// deciding, as a parsed document would; every other value is stepped over, so the body is validated to the end of
    /// its root value without being parsed into a document (prompts run to megabytes). False when the root is not an object.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    private static bool ReadTopLevel(ReadOnlySpan<byte> body, ref string? model, ref bool stream, bool wantModel, bool wantStream)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isModel = wantModel && reader.ValueTextEquals("model"u8);
            var isStream = !isModel && wantStream && reader.ValueTextEquals("stream"u8);
            reader.Read();
            if (isModel) model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            else if (isStream) stream = reader.TokenType == JsonTokenType.True;
            reader.Skip();
        }
        return true;
    }

    /// <summary>
    /// The whole body: with a declared length, read straight into an array of that size (one allocation, one
    /// copy); without one, through a growing buffer.
    /// </summary>
    private static async ValueTask<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BodyLimit) throw new BodyTooLargeException(BodyLimit);
        if (request.ContentLength is { } length)
        {
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken);
            return body;
        }
        using var buffer = new MemoryStream(4096);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + n > BodyLimit) throw new BodyTooLargeException(BodyLimit);
                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>The client's headers but those with its own key, one entry per value's text (in a list sized once).</summary>
    private static List<KeyValuePair<string, string>> HeadersOf(HttpRequest request)
    {
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var (name, values) in request.Headers)
            if (!ClientAuthHeaders.Contains(name)) headers.Add(new(name, values.ToString()));
        return headers;
    }

    private static string QueryWithoutKeys(HttpRequest request)
    {
        if (!request.QueryString.HasValue) return "";
        var kept = request.Query.Where(q => q.Key is not ("key" or "auth_token"))
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")));
        var query = string.Join('&', kept);
        return query.Length == 0 ? "" : "?" + query;
    }
}
