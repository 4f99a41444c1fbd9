using CliProxy.Abstractions.Activity;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Proxy.Activity;

/// <summary>
/// This node's side of <see cref="ICredentialActivityGrain"/>: counts every attempt's outcome per credential and current
/// 10-minute bucket (<see cref="Record"/>, a short lock, no grain call), and sends what it counted as one batch every
/// <see cref="Interval"/>. A batch whose call failed is sent again, with its sequence number, before anything newer, so
/// the grain counts it once. When the node stops (after HTTP stopped: registered before the drain), what is left is sent
/// once more, within <see cref="FinalPassTimeout"/>.
/// </summary>
public sealed partial class CredentialActivityRecorder(IGrainFactory grains, TimeProvider time, ILogger<CredentialActivityRecorder> logger)
    : PeriodicBackgroundService(time, logger)
{
    private readonly Guid _node = Guid.NewGuid();
    private readonly Lock _gate = new();
    private Dictionary<(string Credential, long Bucket), (long Success, long Failed)> _counting = [];
    private CredentialActivityBatch? _unacknowledged;
    private long _sequence;

    /// <summary>How long a stopping node tries to send its last counts (5 s; the host's stop token can end it sooner).</summary>
    public static readonly TimeSpan FinalPassTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <summary>Counts one attempt of <paramref name="credentialId"/>: successful when the upstream answered 2xx.</summary>
    public void Record(string credentialId, bool success)
    {
        var key = (credentialId, RecentRequestWindow.BucketOf(Time.GetUtcNow()));
        lock (_gate)
        {
            _counting.TryGetValue(key, out var counts);
            _counting[key] = success ? (counts.Success + 1, counts.Failed) : (counts.Success, counts.Failed + 1);
        }
    }

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        if (_unacknowledged is null)
        {
            Dictionary<(string Credential, long Bucket), (long Success, long Failed)> counted;
            lock (_gate)
            {
                if (_counting.Count == 0) return;
                (counted, _counting) = (_counting, []);
            }
            _unacknowledged = new CredentialActivityBatch(_node, ++_sequence,
                [.. counted.Select(c => new CredentialActivityCount(c.Key.Credential, c.Key.Bucket, c.Value.Success, c.Value.Failed))]);
        }
        await grains.GetGrain<ICredentialActivityGrain>(CredentialActivityKeys.Cluster).Add(_unacknowledged);
        _unacknowledged = null;
    }

    /// <inheritdoc />
    /// <remarks>After the timed passes ended: sends the unacknowledged batch and what was counted since.</remarks>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FinalPassTimeout);
        try
        {
            while (_unacknowledged is not null || Counting > 0) await RunPassAsync(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception e)
        {
            LogFinalPassFailed(Logger, e);
        }
    }

    private int Counting
    {
        get
        {
            lock (_gate) return _counting.Count;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential activity: the last counts of this node were not sent; the recent requests of its credentials miss them")]
    private static partial void LogFinalPassFailed(ILogger logger, Exception exception);
}
