using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// Applies the log settings to this node without waiting for a request: every second it switches
/// <c>main.log</c> on or off as <c>logging-to-file</c> says, and it runs <see cref="LogCleanup"/> at
/// once when <c>logging-to-file</c>, <c>logs-max-total-size-mb</c> or <c>error-logs-max-files</c>
/// changed, and otherwise once a minute (spec §2.2).
/// </summary>
public sealed partial class LogMaintenance(LogSettingsSource settings, MainLogFile file, TimeProvider time, ILogger<LogMaintenance> logger)
    : PeriodicBackgroundService(time, logger)
{
    /// <summary>Time between two cleanups when nothing changed.</summary>
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    private (bool ToFile, long MaxMb, long MaxErrorFiles)? _applied;
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override Task RunPassAsync(CancellationToken stoppingToken)
    {
        var current = settings.Current;
        var limits = (current.LoggingToFile, current.LogsMaxTotalSizeMb, current.ErrorLogsMaxFiles);
        file.SetEnabled(current.LoggingToFile);
        var now = Time.GetUtcNow();
        if (_applied == limits && now < _nextCleanup) return Task.CompletedTask;
        _applied = limits;
        _nextCleanup = now + CleanupInterval;
        var capped = LogCleanup.EnforceSizeCap(file.Directory, current.LogsMaxTotalSizeMb, keepActiveMain: current.LoggingToFile);
        var expired = LogCleanup.EnforceErrorLogRetention(file.Directory, current.ErrorLogsMaxFiles);
        if (capped + expired > 0) LogCleaned(capped, expired);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Log cleanup deleted {Capped} files over logs-max-total-size-mb and {Expired} error logs over error-logs-max-files")]
    private partial void LogCleaned(int capped, int expired);
}
