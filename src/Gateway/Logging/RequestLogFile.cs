using System.Globalization;
using System.IO.Compression;
using System.Text;
using CliProxy.Domain.Logging;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// One request log as written to the log directory (spec §2.4): sections <c>REQUEST INFO</c>,
/// <c>HEADERS</c>, <c>REQUEST BODY</c> and <c>RESPONSE</c>, with the URL's query and the secret
/// headers masked (§2.6; the response headers too, which the reference printed in clear). A
/// compressed response body is shown decompressed. With an <see cref="UpstreamExchangeLog"/> (only while
/// <c>request-log</c> is on) the upstream sections come between <c>REQUEST BODY</c> and <c>RESPONSE</c>
/// (<see cref="UpstreamExchangeSections"/>).
/// </summary>
public sealed record RequestLogFile(
    string Version,
    string Method,
    string Path,
    string Query,
    DateTimeOffset Arrived,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    BodyCapture RequestBody,
    int Status,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    BodyCapture ResponseBody,
    UpstreamExchangeLog? Upstream = null)
{
    /// <summary>The file's text.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("=== REQUEST INFO ===\n")
            .Append("Version: ").Append(Version).Append('\n')
            .Append("URL: ").Append(SecretMask.PathAndQuery(Path, Query)).Append('\n')
            .Append("Method: ").Append(Method).Append('\n')
            .Append("Timestamp: ").Append(Arrived.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)).Append("\n\n");
        text.Append("=== HEADERS ===\n");
        foreach (var (name, value) in RequestHeaders) text.Append(name).Append(": ").Append(SecretMask.HeaderValue(name, value)).Append('\n');
        text.Append("\n=== REQUEST BODY ===\n");
        AppendBody(text, RequestBody.Kept, RequestBody.Dropped);
        if (Upstream is not null) UpstreamExchangeSections.Append(text, Upstream);
        text.Append("\n=== RESPONSE ===\n").Append("Status: ").Append(Status).Append('\n');
        var encoding = "";
        foreach (var (name, value) in ResponseHeaders)
        {
            text.Append(name).Append(": ").Append(SecretMask.HeaderValue(name, value)).Append('\n');
            if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)) encoding = value.Trim().ToLowerInvariant();
        }
        text.Append('\n');
        if (encoding.Length == 0 || ResponseBody.Total == 0) AppendBody(text, ResponseBody.Kept, ResponseBody.Dropped);
        else AppendDecompressed(text, encoding);
        return text.ToString();
    }

    /// <summary>Writes the log as <paramref name="name"/> into <paramref name="directory"/> (created if needed).</summary>
    public async Task WriteAsync(string directory, string name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, name), Render(), cancellationToken);
    }

    private static void AppendBody(StringBuilder text, ReadOnlySpan<byte> kept, long dropped)
    {
        text.Append(Encoding.UTF8.GetString(kept));
        if (dropped > 0) text.Append($"\n[{dropped} more bytes not logged]");
        text.Append('\n');
    }

    private void AppendDecompressed(StringBuilder text, string encoding)
    {
        if (ResponseBody.Dropped > 0)
        {
            text.Append($"[DECOMPRESSION ERROR: only the first {ResponseBody.Limit} bytes of the {encoding} body were kept]\n");
            return;
        }
        try
        {
            using var compressed = new MemoryStream(ResponseBody.Kept.ToArray());
            using Stream plain = encoding switch
            {
                "gzip" => new GZipStream(compressed, CompressionMode.Decompress),
                "deflate" => new ZLibStream(compressed, CompressionMode.Decompress),
                "br" => new BrotliStream(compressed, CompressionMode.Decompress),
                _ => throw new InvalidDataException($"unsupported content encoding {encoding}"),
            };
            var capture = new BodyCapture(BodyCapture.DefaultLimit);
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = plain.Read(buffer)) > 0) capture.Add(buffer.AsSpan(0, n));
            AppendBody(text, capture.Kept, capture.Dropped);
        }
        catch (InvalidDataException e)
        {
            AppendBody(text, ResponseBody.Kept, 0);
            text.Append("[DECOMPRESSION ERROR: ").Append(e.Message).Append("]\n");
        }
    }
}
