using CliProxy.Domain.Config;
using Orleans.Storage;

namespace CliProxy.Grains.Storage;

/// <summary>Reading state files and checking their ETag (the SHA-256 prefix of the content) before a write.</summary>
internal static class StateFiles
{
    /// <summary>The file's text, or null when it (or its folder) does not exist.</summary>
    public static async Task<string?> ReadAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The ETag of a text, or null for a missing file.</summary>
    public static string? ETagOf(string? text) => text is null ? null : ConfigETag.Of(text);

    /// <summary>Throws <see cref="InconsistentStateException"/> unless the file still has <paramref name="etag"/>.</summary>
    public static async Task CheckETagAsync(string path, string? etag)
    {
        var current = ETagOf(await ReadAsync(path));
        if (current != etag) throw new InconsistentStateException($"{Path.GetFileName(path)} changed since it was read", current, etag);
    }
}
