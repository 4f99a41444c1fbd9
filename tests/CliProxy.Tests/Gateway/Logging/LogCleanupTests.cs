using CliProxy.Gateway.Logging;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary><see cref="LogCleanup"/>: the size cap and the error-log retention (spec §2.2, §2.4).</summary>
[Unit]
public sealed class LogCleanupTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DateTime _start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => _dir.Dispose();

    private void Create(string name, int kib, int minute)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, new byte[kib * 1024]);
        File.SetLastWriteTimeUtc(path, _start.AddMinutes(minute));
    }

    private string[] Names => Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void The_oldest_log_files_go_until_the_total_fits_and_the_active_main_log_stays()
    {
        Create("main.log", 400, 0);                                        // oldest, but active
        Create("main-2026-01-01T00-01-00.000.log", 400, 1);
        Create("error-v1-a-2026-01-01T000200-00000001.log", 400, 2);
        Create("main-2026-01-01T00-03-00.000.log.GZ", 400, 3);
        Create("v1-b-2026-01-01T000400-00000002.log", 100, 4);
        Create("notes.txt", 2000, 0);                                      // not a log: neither counted nor deleted
        Assert.Equal(2, LogCleanup.EnforceSizeCap(_dir.Path, maxTotalMb: 1, keepActiveMain: true));
        Assert.Equal(["main-2026-01-01T00-03-00.000.log.GZ", "main.log", "notes.txt", "v1-b-2026-01-01T000400-00000002.log"], Names);
    }

    [Fact]
    public void Without_file_logging_main_log_may_go_too_and_zero_means_no_cap()
    {
        Create("main.log", 800, 0);
        Create("main-2026-01-01T00-01-00.000.log", 800, 1);
        Assert.Equal(0, LogCleanup.EnforceSizeCap(_dir.Path, maxTotalMb: 0, keepActiveMain: false));
        Assert.Equal(1, LogCleanup.EnforceSizeCap(_dir.Path, maxTotalMb: 1, keepActiveMain: false));
        Assert.Equal(["main-2026-01-01T00-01-00.000.log"], Names);
    }

    [Fact]
    public void Only_the_newest_error_logs_are_kept()
    {
        for (var i = 1; i <= 5; i++) Create($"error-v1-x-2026-01-01T00000{i}-0000000{i}.log", 1, i);
        Create("v1-x-2026-01-01T000009-00000009.log", 1, 0);
        Assert.Equal(0, LogCleanup.EnforceErrorLogRetention(_dir.Path, 0));
        Assert.Equal(3, LogCleanup.EnforceErrorLogRetention(_dir.Path, 2));
        Assert.Equal(["error-v1-x-2026-01-01T000004-00000004.log", "error-v1-x-2026-01-01T000005-00000005.log", "v1-x-2026-01-01T000009-00000009.log"], Names);
    }

    [Fact]
    public void A_missing_directory_is_no_error()
    {
        var missing = Path.Combine(_dir.Path, "none");
        Assert.Equal(0, LogCleanup.EnforceSizeCap(missing, 1, true));
        Assert.Equal(0, LogCleanup.EnforceErrorLogRetention(missing, 1));
    }
}
