using System.Security.Cryptography;
using System.Text;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Management;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CliProxy.Gateway.Idempotency;

/// <summary>
/// Reading the <c>Idempotency-Key</c> of a management write: validating the header, scoping it to the
/// client's management identity and fingerprinting the request (method, path, query, body).
/// </summary>
public static class IdempotencyRequest
{
    /// <summary>The header's name.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>Largest body that is fingerprinted (the largest route limit, a multipart upload); larger answers 413.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    /// <summary>True for the methods a key applies to: every write (POST, PUT, PATCH, DELETE).</summary>
    public static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>
    /// The header value when it is one value of 1–<see cref="IdempotencyLimits.MaxKeyLength"/> printable
    /// ASCII characters (0x20–0x7E); null otherwise.
    /// </summary>
    public static string? ValidKey(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= IdempotencyLimits.MaxKeyLength } key) return null;
        foreach (var c in key)
            if (c is < ' ' or > '~') return null;
        return key;
    }

    /// <summary>
    /// The management identity of an accepted request: which secret accepted its key — the local
    /// password, <c>MANAGEMENT_PASSWORD</c>, or the config's <c>secret-key</c> (named by its bcrypt hash, so
    /// a new secret starts a new key space). Never the key itself: the hash of a scoped key must not be
    /// a fast oracle for the management key.
    /// </summary>
    public static string Identity(HttpRequest request, ManagementSecrets secrets, string secretHash)
    {
        var presented = Encoding.UTF8.GetBytes(PresentedKeys.Management(request));
        if (secrets.LocalPassword.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(secrets.LocalPassword))) return "local-password";
        if (secrets.EnvironmentSecret.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(secrets.EnvironmentSecret))) return "management-password";
        return "secret-key:" + secretHash;
    }

    /// <summary>The scoped key: the first 128 bits of SHA-256 over the identity and the header value, in hex.</summary>
    public static string Scope(string identity, string key) => Hex128(Encoding.UTF8.GetBytes(identity + "\n" + key));

    /// <summary>
    /// The first 128 bits of SHA-256 over method, path, query and body, in hex. The body is buffered so
    /// that the endpoint reads it again. Of a multipart body only the parts count (their
    /// <c>Content-Disposition</c>, <c>Content-Type</c> and bytes), not the random boundary, so a client
    /// that builds the same upload again gets the same fingerprint. A body over <see cref="MaxBodyBytes"/>
    /// throws <see cref="BodyTooLargeException"/>.
    /// </summary>
    public static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) throw new BodyTooLargeException(MaxBodyBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method.ToUpperInvariant()}\n{request.PathBase}{request.Path}\n{request.QueryString}\n"));
        request.EnableBuffering(bufferThreshold: 64 * 1024);
        var body = request.Body;
        if (Boundary(request) is not { } boundary || !await TryAppendPartsAsync(hash, body, boundary, cancellationToken))
        {
            body.Position = 0;
            await AppendAsync(hash, body, body, cancellationToken);
        }
        body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 16);
    }

    private static string Hex128(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data), 0, 16);

    private static string? Boundary(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary ? boundary : null;

    private static async Task<bool> TryAppendPartsAsync(IncrementalHash hash, Stream body, string boundary, CancellationToken cancellationToken)
    {
        using var parts = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var reader = new MultipartReader(boundary, body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                parts.AppendData(Encoding.UTF8.GetBytes($"part\n{section.ContentDisposition}\n{section.ContentType}\n"));
                await AppendAsync(parts, section.Body, body, cancellationToken);
            }
        }
        catch (InvalidDataException)
        {
            return false; // not well-formed: the raw bytes count
        }
        hash.AppendData(parts.GetHashAndReset());
        return true;
    }

    /// <summary>Hashes <paramref name="stream"/> (the body or a part of it); 413 once more than the limit of <paramref name="body"/> was read.</summary>
    private static async Task AppendAsync(IncrementalHash hash, Stream stream, Stream body, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Position > MaxBodyBytes) throw new BodyTooLargeException(MaxBodyBytes);
            hash.AppendData(chunk, 0, read);
        }
    }
}
