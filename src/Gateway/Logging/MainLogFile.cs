using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The application log file <c>main.log</c> of this node (spec §2.2): written while
/// <c>logging-to-file</c> is on, rotated by renaming it to <see cref="LogFileNames.Rotated"/> before a
/// write would take it past <see cref="RotateBytes"/> (10 MB, as the reference). Writes, rotation and
/// <see cref="Clear"/> share one lock, so clearing resets the size that rotation counts (the reference
/// truncated under its writer, whose stale counter then rotated early: spec §7 defect 13). Entries are queued and
/// written by one thread-pool work item, many in one write (under load every entry queued while the item waited its
/// turn); a reader sees whole entries, <see cref="Flush"/> writes what is queued (the log routes call it before
/// reading), and a crash can lose only the entries still queued. A failing
/// write (disk full, directory removed) closes the file; the next entry opens it again.
/// </summary>
public sealed class MainLogFile : IDisposable
{
    /// <summary>Size at which the file is rotated: 10 MB.</summary>
    public const long DefaultRotateBytes = 10L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<byte[]> _pending = new();
    private readonly ArrayBufferWriter<byte> _batch = new(4096); // used under the lock only
    private readonly TimeProvider _time;
    private FileStream? _stream;
    private long _size;
    private volatile bool _enabled;
    private bool _reportedFailure;
    private int _drainQueued; // 1 while a drain work item is queued and has not started

    /// <summary>A log file in <paramref name="directory"/>, off until <see cref="SetEnabled"/>.</summary>
    public MainLogFile(string directory, TimeProvider time, long rotateBytes = DefaultRotateBytes)
    {
        Directory = directory;
        _time = time;
        RotateBytes = rotateBytes;
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>Path of <c>main.log</c>.</summary>
    public string ActivePath => Path.Combine(Directory, LogFileNames.Main);

    /// <summary>Size in bytes above which the file is rotated.</summary>
    public long RotateBytes { get; }

    /// <summary>Whether entries are written (<c>logging-to-file</c>).</summary>
    public bool Enabled => _enabled;

    /// <summary>
    /// Turns writing on (creating the directory and <c>main.log</c> at once, so the log routes find them) or
    /// off (closing the file). Cheap when nothing changes.
    /// </summary>
    public void SetEnabled(bool enabled)
    {
        if (_enabled == enabled) return;
        lock (_gate)
        {
            if (!enabled) WriteHeld(); // entries logged while it was on
            _enabled = enabled;
            if (enabled) TryOpen();
            else Close();
        }
    }

    /// <summary>
    /// Appends one entry (a formatted line as UTF-8, see <see cref="LogLine.Encode"/>; the array is kept); does nothing while off. Never throws, never waits,
    /// never writes: the entry is queued, and a drain is queued on the thread pool unless one already waits there, so
    /// the entries of many requests share one system call (a write per entry cost the proxy ~5 % of its CPU).
    /// </summary>
    public void Append(byte[] entry)
    {
        if (!_enabled) return;
        _pending.Enqueue(entry);
        if (Interlocked.Exchange(ref _drainQueued, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static file => file.DrainQueued(), this, preferLocal: false);
    }

    /// <summary>Writes every entry queued so far before returning (for readers of the file: <c>GET /logs</c>, tests).</summary>
    public void Flush()
    {
        lock (_gate) WriteHeld();
    }

    /// <summary>
    /// The queued work item: writes everything queued. It waits for the file while another writer (a flush, a clear) holds
    /// it, so no entry is left behind; an entry queued after the flag is reset queues the next work item.
    /// </summary>
    private void DrainQueued()
    {
        Volatile.Write(ref _drainQueued, 0);
        try
        {
            Flush();
        }
        catch (Exception e)
        {
            // A work item that throws would stop the process; the log cannot tell of its own failure, standard error can.
            Console.Error.WriteLine($"logging to {ActivePath} failed: {e.Message}");
        }
    }

    /// <summary>Writes the queue (or drops it while off or when the file cannot be opened). Under the lock.</summary>
    private void WriteHeld()
    {
        if (_pending.IsEmpty) return;
        try
        {
            if (!_enabled || !TryOpen())
            {
                _pending.Clear();
                return;
            }
            WritePending();
            _reportedFailure = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _pending.Clear();
            _batch.ResetWrittenCount();
            Fail(e);
        }
    }

    /// <summary>Writes every queued entry, as few writes as rotation allows (a rotation falls between two entries). Under the lock.</summary>
    private void WritePending()
    {
        var batch = _batch;
        while (_pending.TryDequeue(out var bytes))
        {
            if (_size + batch.WrittenCount > 0 && _size + batch.WrittenCount + bytes.Length > RotateBytes)
            {
                WriteBatch(batch);
                if (_size > 0) Rotate();
            }
            batch.Write(bytes);
        }
        WriteBatch(batch);
    }

    private void WriteBatch(ArrayBufferWriter<byte> batch)
    {
        if (batch.WrittenCount == 0) return;
        _stream!.Write(batch.WrittenSpan);
        _size += batch.WrittenCount;
        batch.ResetWrittenCount();
    }

    /// <summary>
    /// <c>DELETE /logs</c>: truncates <c>main.log</c> (the file stays) and deletes every rotated copy.
    /// Returns the number of copies deleted, or the failure in the spec's words.
    /// </summary>
    public LogClearResult Clear()
    {
        lock (_gate)
        {
            WriteHeld(); // entries logged before the clear are cleared with the rest
            string[] names;
            try
            {
                names = System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).ToArray()!;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return LogClearResult.Failed($"failed to list log directory: {e.Message}");
            }
            try
            {
                if (_stream is not null)
                {
                    _stream.SetLength(0);
                    _stream.Position = 0;
                }
                else if (File.Exists(ActivePath))
                {
                    using var truncate = new FileStream(ActivePath, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                }
                _size = 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return LogClearResult.Failed($"failed to truncate log file: {e.Message}");
            }
            var removed = 0;
            foreach (var name in names)
            {
                if (!LogFileNames.IsRotated(name, out _, out _)) continue;
                try
                {
                    File.Delete(Path.Combine(Directory, name));
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return LogClearResult.Failed($"failed to remove {name}: {e.Message}");
                }
            }
            return new LogClearResult(removed, null);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            WriteHeld();
            _enabled = false;
            Close();
        }
    }

    private bool TryOpen()
    {
        if (_stream is not null) return true;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            // Not FileMode.Append: a stream opened so cannot be truncated by Clear.
            _stream = new FileStream(ActivePath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            _size = _stream.Seek(0, SeekOrigin.End);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
            return false;
        }
    }

    private void Rotate()
    {
        Close();
        var now = _time.GetUtcNow();
        var target = Path.Combine(Directory, LogFileNames.Rotated(now));
        for (var n = 1; File.Exists(target); n++)
            target = Path.Combine(Directory, LogFileNames.Rotated(now)[..^".log".Length] + $"-{n}.log");
        File.Move(ActivePath, target);
        TryOpen();
        if (_stream is null) throw new IOException("main.log could not be opened after rotation");
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _size = 0;
    }

    /// <summary>Closes the file; the first failure of a streak is told on standard error (the log itself cannot tell it).</summary>
    private void Fail(Exception e)
    {
        Close();
        if (_reportedFailure) return;
        _reportedFailure = true;
        Console.Error.WriteLine($"logging to {ActivePath} failed: {e.Message}");
    }
}

/// <summary>Outcome of <see cref="MainLogFile.Clear"/>: rotated files removed, or the error text (spec §2.5).</summary>
/// <param name="Removed">Rotated files deleted.</param>
/// <param name="Error">The failure as the route answers it, or null.</param>
public sealed record LogClearResult(int Removed, string? Error)
{
    /// <summary>A failure.</summary>
    public static LogClearResult Failed(string error) => new(0, error);
}
