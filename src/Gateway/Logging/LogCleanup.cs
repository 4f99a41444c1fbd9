namespace CliProxy.Gateway.Logging;

/// <summary>
/// The two limits on the log directory (spec §2.2, §2.4): <c>logs-max-total-size-mb</c> — while the
/// <c>*.log</c> and <c>*.log.gz</c> files together exceed it, the oldest-modified is deleted, never the
/// active <c>main.log</c>; request and error logs live in the same directory, so the cap covers them
/// (spec §7 defect 10) — and <c>error-logs-max-files</c> — only the newest error logs are kept. Both
/// run after each error log is written and once a minute (<see cref="LogMaintenance"/>), so retention
/// also holds when no new error log arrives (defect 15). A file that vanishes meanwhile is skipped.
/// </summary>
public static class LogCleanup
{
    /// <summary>Deletes the oldest log files until the total is at most <paramref name="maxTotalMb"/> MB (0: no cap). Returns the files deleted.</summary>
    public static int EnforceSizeCap(string directory, long maxTotalMb, bool keepActiveMain)
    {
        if (maxTotalMb <= 0) return 0;
        var files = LogFiles(directory, LogFileNames.CountsForSizeCap);
        var total = files.Sum(f => f.Length);
        var limit = maxTotalMb * 1024 * 1024;
        var deleted = 0;
        foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            if (total <= limit) break;
            if (keepActiveMain && file.Name == LogFileNames.Main) continue;
            var length = file.Length;
            if (TryDelete(file))
            {
                total -= length;
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Keeps the newest <paramref name="maxFiles"/> error logs (by modification time) and deletes the rest (0: keep all). Returns the files deleted.</summary>
    public static int EnforceErrorLogRetention(string directory, long maxFiles)
    {
        if (maxFiles <= 0) return 0;
        var deleted = 0;
        foreach (var file in LogFiles(directory, LogFileNames.IsErrorLog)
                     .OrderByDescending(f => f.LastWriteTimeUtc).ThenByDescending(f => f.Name, StringComparer.Ordinal).Skip((int)Math.Min(maxFiles, int.MaxValue)))
            if (TryDelete(file)) deleted++;
        return deleted;
    }

    private static List<FileInfo> LogFiles(string directory, Func<string, bool> select)
    {
        var info = new DirectoryInfo(directory);
        if (!info.Exists) return [];
        return info.EnumerateFiles().Where(f => select(f.Name)).ToList();
    }

    private static bool TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
