namespace CliProxy.Gateway.Hosting;

/// <summary>
/// The one loop of every periodic background service of the gateway (folder and file watchers,
/// the config and access subscriptions): a pass runs at start and then every
/// <see cref="Interval"/>. A pass that throws is logged and the next pass runs as usual, so a
/// fault of one file, one grain call or one pass never ends the service; with the host's
/// <c>BackgroundServiceExceptionBehavior.StopHost</c> an ended service would stop the whole node
/// (a credential file deleted during a scan once did). Only the host's shutdown ends the loop.
/// </summary>
/// <param name="time">Clock of the interval timer (a fake one in tests).</param>
/// <param name="logger">Where failed passes are reported.</param>
public abstract partial class PeriodicBackgroundService(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock given to the constructor (also for the derived service's own use).</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>The logger given to the constructor (also for the derived service's own use).</summary>
    protected ILogger Logger { get; } = logger;

    /// <summary>Time between the starts of two passes (a pass that overruns it delays the next).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>
    /// One pass. It may throw: the exception is logged, <see cref="OnPassFailed"/> runs, and the
    /// next pass comes after <see cref="Interval"/>. A pass that must not lose work to a failure
    /// keeps the unfinished part in its own state for the next pass.
    /// </summary>
    protected abstract Task RunPassAsync(CancellationToken stoppingToken);

    /// <summary>Called after a pass threw, e.g. to drop state the failure made doubtful. Must not throw.</summary>
    protected virtual void OnPassFailed(Exception exception)
    {
    }

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        var failures = 0;
        do
        {
            try
            {
                await RunPassAsync(stoppingToken);
                if (failures > 0) LogRecovered(Logger, GetType().Name, failures);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                Report(e, failures);
                try
                {
                    OnPassFailed(e);
                }
                catch (Exception hook)
                {
                    LogHookFailed(Logger, hook, GetType().Name);
                }
            }
        }
        while (await NextTick(timer, stoppingToken));
    }

    /// <summary>The first failure of a streak with its stack; then the 10th, 100th, … so a lasting fault does not flood the log.</summary>
    private void Report(Exception e, int failures)
    {
        if (failures == 1) LogPassFailed(Logger, e, GetType().Name, Interval.TotalMilliseconds);
        else if (IsPowerOfTen(failures)) LogStillFailing(Logger, GetType().Name, failures, e.Message);
    }

    private static bool IsPowerOfTen(int n)
    {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    private static async Task<bool> NextTick(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: a pass failed; the next pass runs in {IntervalMs} ms")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string service, double intervalMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service}: {Failures} passes in a row failed, still retrying: {Error}")]
    private static partial void LogStillFailing(ILogger logger, string service, int failures, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service}: passes succeed again after {Failures} failed")]
    private static partial void LogRecovered(ILogger logger, string service, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}: the failure handler threw")]
    private static partial void LogHookFailed(ILogger logger, Exception exception, string service);
}
