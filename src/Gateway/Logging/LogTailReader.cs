using System.Text;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// <c>GET /logs</c> (spec §2.5): the application log's lines newer than a cutoff, at most the last
/// <c>limit</c> of them, read backwards from the end of <c>main.log</c> into the rotated copies, newest
/// first, and only as far back as the answer needs (the reference read every file in full on every
/// call, spec §7 defect 11). Compressed copies are skipped (the reference read them as text).
/// </summary>
/// <remarks>
/// Selection is the reference's: a time-stamped line is kept when its time is after the cutoff, a
/// continuation line (no time stamp) goes with the time-stamped line before it, and without a cutoff
/// every line is kept. Reading stops when <c>limit</c> lines are kept, or at a line older than the
/// cutoff by more than <see cref="StopSlackSeconds"/> (entries of concurrent threads can reach the
/// file slightly out of order). <c>line-count</c> therefore counts the lines read, which is every
/// line only when the whole log was needed.
/// </remarks>
public static class LogTailReader
{
    /// <summary>How far before the cutoff reading goes on, for entries written out of order.</summary>
    public const long StopSlackSeconds = 2;

    /// <summary>Longest line read (8 MiB, as the reference's scanner).</summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    private const int BlockSize = 64 * 1024;

    /// <summary>
    /// Reads the log of <paramref name="directory"/> (which exists). <paramref name="after"/> is the cutoff
    /// in Unix seconds (0: none), <paramref name="limit"/> the most lines kept (null: all). Throws
    /// <see cref="LogReadException"/> naming the file that could not be read.
    /// </summary>
    public static LogTail Read(string directory, long after, long? limit, TimeZoneInfo zone)
    {
        var kept = new List<string>();
        var pending = new List<string>();
        var lineCount = 0;
        long latest = 0;
        foreach (var path in NewestFirst(directory))
        {
            try
            {
                foreach (var line in LinesBackward(path))
                {
                    lineCount++;
                    var ts = LogLine.Timestamp(line, zone);
                    if (ts is { } t) latest = Math.Max(latest, t);
                    if (after <= 0)
                    {
                        kept.Add(line);
                        if (kept.Count >= limit) return Done(kept, lineCount, latest, after);
                        continue;
                    }
                    if (ts is not { } stamp)
                    {
                        pending.Add(line);
                        continue;
                    }
                    if (stamp > after)
                    {
                        foreach (var continuation in pending.Append(line))
                        {
                            kept.Add(continuation);
                            if (kept.Count >= limit) return Done(kept, lineCount, latest, after);
                        }
                    }
                    else if (stamp < after - StopSlackSeconds)
                    {
                        return Done(kept, lineCount, latest, after);
                    }
                    pending.Clear();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LogReadException(path, e.Message);
            }
        }
        // Continuations before the first time stamp: kept without a cutoff (already), dropped with one.
        return Done(kept, lineCount, latest, after);
    }

    private static LogTail Done(List<string> newestFirst, int lineCount, long latest, long after)
    {
        newestFirst.Reverse();
        return new LogTail(newestFirst, lineCount, Math.Max(latest, after));
    }

    /// <summary><c>main.log</c>, then the rotated copies from the newest (by the time in their name, else modification time).</summary>
    private static IEnumerable<string> NewestFirst(string directory)
    {
        var rotated = new List<(DateTimeOffset At, string Path)>();
        string? active = null;
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name == LogFileNames.Main) active = path;
            else if (LogFileNames.IsRotated(name, out var at, out var compressed) && !compressed)
                rotated.Add((at ?? File.GetLastWriteTimeUtc(path), path));
        }
        if (active is not null) yield return active;
        foreach (var (_, path) in rotated.OrderByDescending(r => r.At).ThenByDescending(r => r.Path, StringComparer.Ordinal)) yield return path;
    }

    /// <summary>The lines of a file from the last to the first (trailing <c>\r</c> removed; no empty line after a final line feed).</summary>
    internal static IEnumerable<string> LinesBackward(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var position = file.Length;
        var block = new byte[BlockSize];
        var carry = new MemoryStream();
        var atEnd = true;
        while (position > 0)
        {
            var count = (int)Math.Min(BlockSize, position);
            position -= count;
            file.Position = position;
            file.ReadExactly(block, 0, count);
            var end = count;
            for (var i = count - 1; i >= 0; i--)
            {
                if (block[i] != (byte)'\n') continue;
                var line = Decode(block.AsSpan(i + 1, end - i - 1), carry);
                end = i;
                if (!(atEnd && line.Length == 0)) yield return line;
                atEnd = false;
            }
            if (end > 0) Prepend(carry, block.AsSpan(0, end));
            if (carry.Length > MaxLineBytes) throw new IOException($"line longer than {MaxLineBytes} bytes");
        }
        // The first line: what precedes the first line feed (empty when the file starts with one).
        if (file.Length > 0 && !(atEnd && carry.Length == 0)) yield return Decode([], carry);
    }

    /// <summary>The line made of <paramref name="head"/> followed by <paramref name="carry"/>; empties <paramref name="carry"/>.</summary>
    private static string Decode(ReadOnlySpan<byte> head, MemoryStream carry)
    {
        var text = carry.Length == 0
            ? Encoding.UTF8.GetString(head)
            : Encoding.UTF8.GetString([.. head, .. carry.GetBuffer().AsSpan(0, (int)carry.Length)]);
        carry.SetLength(0);
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private static void Prepend(MemoryStream carry, ReadOnlySpan<byte> bytes)
    {
        var rest = carry.ToArray();
        carry.SetLength(0);
        carry.Write(bytes);
        carry.Write(rest);
    }
}

/// <summary>What <c>GET /logs</c> answers (spec §2.5).</summary>
/// <param name="Lines">Kept lines, oldest first.</param>
/// <param name="LineCount">Lines read.</param>
/// <param name="LatestTimestamp">Newest time stamp read, or the cutoff if later (Unix seconds).</param>
public sealed record LogTail(IReadOnlyList<string> Lines, int LineCount, long LatestTimestamp);

/// <summary>A log file could not be read.</summary>
public sealed class LogReadException(string path, string detail) : Exception($"failed to read log file {path}: {detail}");
