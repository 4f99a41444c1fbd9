using System.Text;

namespace CliProxy.Gateway.Http;

/// <summary>Reads a request body as UTF-8 text up to a per-route limit.</summary>
public static class BodyReader
{
    /// <summary>Limit of the config routes' bodies: 4 MiB.</summary>
    public const long ConfigLimit = 4L * 1024 * 1024;

    /// <summary>
    /// The body as text (empty when the request has none), or <see cref="BodyTooLargeException"/>
    /// when it exceeds <paramref name="limit"/> bytes (declared or actual).
    /// </summary>
    public static async Task<string> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit) throw new BodyTooLargeException(limit);
        if (request.ContentLength == 0) return "";
        if (request.ContentLength is { } length and <= 64 * 1024)
        {
            // The common case: a small body of known size, read straight into one buffer.
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length)
            {
                var n = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken);
                if (n == 0) break;
                filled += n;
            }
            return Encoding.UTF8.GetString(exact, 0, filled);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) throw new BodyTooLargeException(limit);
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

/// <summary>A request body over its route's limit (answered with 413).</summary>
public sealed class BodyTooLargeException(long limit) : Exception($"request body exceeds {limit} bytes")
{
    /// <summary>The limit in bytes.</summary>
    public long Limit { get; } = limit;
}
