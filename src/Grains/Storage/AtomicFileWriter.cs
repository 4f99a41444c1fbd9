namespace CliProxy.Grains.Storage;

/// <summary>
/// Replaces a file's content all-or-nothing: the bytes go to a temporary file in the same folder,
/// are flushed to disk, and the temporary file is renamed over the target (keeping the target's
/// permission bits, or <see cref="NewFileMode"/> for a new file). When the rename is refused —
/// typically <c>EBUSY</c> because the target is a single-file bind mount in a container — the
/// target is rewritten in place instead (truncate, write, flush).
/// </summary>
/// <param name="move">The rename step (source, target); replaceable so tests can simulate a bind mount.</param>
public sealed class AtomicFileWriter(Action<string, string>? move = null)
{
    private readonly Action<string, string> _move = move ?? ((from, to) => File.Move(from, to, overwrite: true));

    /// <summary>Permission bits of files this writer creates (owner read/write only).</summary>
    public const UnixFileMode NewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/>, creating the folder if needed.
    /// <paramref name="mode"/> forces the permission bits; by default an existing file keeps its own.
    /// </summary>
    public async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        mode ??= File.Exists(full) && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(full) : NewFileMode;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, mode.Value);
                await stream.WriteAsync(bytes, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                _move(temp, full);
                return;
            }
            catch (IOException) when (File.Exists(full))
            {
                await RewriteInPlaceAsync(full, bytes, cancellationToken);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(full, mode.Value);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static async Task RewriteInPlaceAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.Asynchronous);
        await stream.WriteAsync(bytes, cancellationToken);
        stream.SetLength(bytes.Length);
        stream.Flush(flushToDisk: true);
    }
}
