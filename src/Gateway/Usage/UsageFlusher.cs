using CliProxy.Abstractions.Usage;
using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Http;
using Microsoft.Extensions.Options;

namespace CliProxy.Gateway.Usage;

/// <summary>
/// Sends this node's buffered usage records to the usage grain: every
/// <see cref="UsageRecorderOptions.FlushInterval"/> it sends batches of up to
/// <see cref="UsageRecorderOptions.MaxBatch"/> until less than a full batch is left, and once more
/// when the node stops (after HTTP stopped, before the silo or cluster client stops). A batch keeps
/// its sequence number until the grain acknowledged it: one whose call failed is sent again on the
/// next pass, and the grain counts a batch sent twice once. Records dropped because the buffer was
/// full are reported in the log on the next pass.
/// </summary>
public sealed partial class UsageFlusher(
    UsageRecorder recorder, IGrainFactory grains, IOptions<UsageRecorderOptions> options, TimeProvider time, ILogger<UsageFlusher> logger)
    : PeriodicBackgroundService(time, logger)
{
    private readonly UsageRecorderOptions _options = options.Value;
    private readonly Guid _node = Guid.NewGuid();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IUsageGrain? _grain;
    private UsageBatch? _pending;
    private long _sequence;
    private long _reportedDrops;

    /// <inheritdoc />
    protected override TimeSpan Interval => _options.FlushInterval;

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        ReportDrops();
        await FlushAsync(stoppingToken);
    }

    /// <summary>
    /// Sends what is buffered now (the pending batch first): batches until one is not full. Used by
    /// the passes, by the final flush, and by tests and the benchmark to flush at once.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_pending is null)
                {
                    var records = recorder.Take(_options.MaxBatch);
                    if (records.Count == 0) return;
                    _pending = new UsageBatch(_node, ++_sequence, [.. records]);
                }
                var batch = _pending;
                _grain ??= grains.GetGrain<IUsageGrain>(UsageGrainKeys.Default);
                var result = await _grain.Record(batch);
                _pending = null;
                if (result.AlreadyApplied) recorder.Acknowledge(batch.Details.Length, 0);
                else recorder.Acknowledge(result.Counted, result.Duplicates);
                if (batch.Details.Length < _options.MaxBatch && recorder.Buffered < _options.MaxBatch) return;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>After the loop ended: stop taking records and send what is left, within <see cref="UsageRecorderOptions.ShutdownFlushTimeout"/>.</remarks>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        recorder.Stop();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ShutdownFlushTimeout);
        try
        {
            while (recorder.Buffered > 0 || _pending is not null) await FlushAsync(timeout.Token);
        }
        catch (Exception e)
        {
            LogFinalFlushFailed(logger, e, recorder.Counters.Pending);
        }
        ReportDrops();
    }

    private void ReportDrops()
    {
        var dropped = recorder.Counters.DroppedFull;
        if (dropped == _reportedDrops) return;
        LogDropped(logger, dropped - _reportedDrops, dropped, _options.BufferCapacity);
        _reportedDrops = dropped;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage: {Count} records dropped because the buffer was full ({Total} since start; Usage:BufferCapacity {Capacity})")]
    private static partial void LogDropped(ILogger logger, long count, long total, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage: the final flush failed; {Pending} records were not counted")]
    private static partial void LogFinalFlushFailed(ILogger logger, Exception exception, long pending);
}
