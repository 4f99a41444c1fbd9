using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.Logs;

/// <summary>
/// A log file as a download (spec §2.5): checked to lie inside the log directory, then streamed as
/// <c>text/plain; charset=utf-8</c> with <c>Content-Disposition: attachment</c>, <c>Last-Modified</c>
/// and range support.
/// </summary>
public static class LogFileDownload
{
    /// <summary>The file <paramref name="name"/> of <paramref name="directory"/>, or the spec's error.</summary>
    public static IResult Of(string directory, string name)
    {
        var root = Path.GetFullPath(directory);
        var path = Path.GetFullPath(Path.Combine(root, name));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return JsonResponses.Error(400, "invalid log file path");
        if (Directory.Exists(path)) return JsonResponses.Error(400, "invalid log file");
        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (!file.Exists) return JsonResponses.Error(404, "log file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JsonResponses.Error(500, $"failed to read log file: {e.Message}");
        }
        return new Attachment(Results.File(path, "text/plain; charset=utf-8", lastModified: file.LastWriteTimeUtc, enableRangeProcessing: true), name);
    }

    /// <summary>
    /// Go's attachment header: <c>attachment; filename="…"</c> (<c>\</c> and <c>"</c> escaped) for an ASCII
    /// name, <c>attachment; filename*=UTF-8''…</c> otherwise.
    /// </summary>
    public static string ContentDisposition(string name) => name.All(char.IsAscii)
        ? $"attachment; filename=\"{name.Replace("\\", "\\\\").Replace("\"", "\\\"")}\""
        : $"attachment; filename*=UTF-8''{Uri.EscapeDataString(name)}";

    private sealed class Attachment(IResult file, string name) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentDisposition = ContentDisposition(name);
            return file.ExecuteAsync(httpContext);
        }
    }
}
