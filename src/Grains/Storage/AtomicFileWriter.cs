namespace CliProxy.Grains.Storage;

/// <summary>
/// Replaces a file's content all-or-nothing: the bytes go to a temporary file in the same folder,
/// are flushed to disk, and the temporary file is renamed over the target (keeping the target's
/// permission bits, or <see cref="NewFileMode"/> for a new file). When the rename is refused —
/// typically <c>EBUSY</c> because the target is a single-file bind mount in a container — the
/// target is rewritten in place instead (truncate, write, flush). The blocking file calls run on
/// the thread pool, so a grain awaiting a write does not hold its scheduler thread.
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
    public Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default, UnixFileMode? mode = null) =>
        Task.Run(() => Write(Path.GetFullPath(path), bytes.Span, mode), cancellationToken);

    private void Write(string path, ReadOnlySpan<byte> bytes, UnixFileMode? mode)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir)) Directory.CreateDirectory(dir);
        var target = mode ?? ExistingMode(path) ?? NewFileMode;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 }))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, target);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                _move(temp, path);
                temp = null;
            }
            catch (IOException) when (File.Exists(path))
            {
                RewriteInPlace(path, bytes, target);
            }
        }
        finally
        {
            if (temp is not null) File.Delete(temp);
        }
    }

    private static UnixFileMode? ExistingMode(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static void RewriteInPlace(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 });
        stream.Write(bytes);
        stream.SetLength(bytes.Length);
        stream.Flush(flushToDisk: true);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, mode);
    }
}
