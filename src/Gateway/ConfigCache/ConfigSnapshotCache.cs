using CliProxy.Abstractions.Config;
using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.ConfigCache;

/// <summary>
/// This node's copy of the current config document. It subscribes to the config grain as an
/// observer (renewed every minute) and also takes the snapshot returned by each write made
/// through this node, so a client reads its own writes at once and other nodes' writes as soon
/// as the notification arrives. As a safety net it compares versions with the grain every second
/// (a notification can be lost when the grain moves to another silo). Before the first snapshot,
/// and after losing contact with the cluster, it reads from the grain before serving.
/// </summary>
public sealed class ConfigSnapshotCache(IGrainFactory grains, ILogger<ConfigSnapshotCache> logger, TimeProvider time)
    : PeriodicBackgroundService(time, logger), IConfigObserver
{
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan VersionCheck = TimeSpan.FromSeconds(1);
    private volatile bool _stale;
    private readonly Lock _gate = new();
    private volatile ConfigView? _current;
    private IConfigObserver? _reference;
    private DateTimeOffset _renewAt = DateTimeOffset.MinValue;

    private IConfigGrain? _grain;

    /// <summary>
    /// The config grain (one reference, resolved on first use: building a reference costs a type
    /// lookup, and a cluster client can only resolve it once connected).
    /// </summary>
    public IConfigGrain Grain => _grain ??= grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    /// <summary>The current view, reading it from the config grain if this node has none yet.</summary>
    public async ValueTask<ConfigView> GetAsync() => _current is { } c && !_stale ? c : await RefreshAsync();

    /// <summary>The current view without a grain call, or null before the first snapshot and while it may be stale.</summary>
    public ConfigView? Current => _stale ? null : _current;

    /// <summary>Forgets that the current view is up to date: the next read asks the grain first.</summary>
    public void Invalidate() => _stale = true;

    /// <summary>Reads the current snapshot from the config grain.</summary>
    public async Task<ConfigView> RefreshAsync()
    {
        var snapshot = await Http.GrainCalls.Idempotent(() => Grain.GetSnapshot());
        _stale = false;
        Offer(snapshot);
        return _current!;
    }

    /// <summary>Adopts <paramref name="snapshot"/> if it differs from the current view (the grain's versions only grow).</summary>
    public void Offer(ConfigSnapshot snapshot)
    {
        if (_current is { } c && c.Version >= snapshot.Version) return;
        var view = new ConfigView(snapshot);
        lock (_gate)
        {
            if (_current is null || _current.Version < view.Version) _current = view;
        }
    }

    /// <inheritdoc />
    public Task OnConfigChanged(ConfigSnapshot snapshot)
    {
        Offer(snapshot);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override TimeSpan Interval => VersionCheck;

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        _reference ??= grains.CreateObjectReference<IConfigObserver>(this);
        var now = Time.GetUtcNow();
        if (now >= _renewAt)
        {
            await Grain.Subscribe(_reference);
            // Catch up with a change made before the subscription took effect.
            if (_current is null || _stale || await Grain.GetVersion() != _current.Version) await RefreshAsync();
            _renewAt = now + Renewal;
        }
        else if (_current is null || _stale || await Grain.GetVersion() != _current.Version)
        {
            // Missed a notification (the grain moved, or the connection was lost): catch up and subscribe again.
            await RefreshAsync();
            _renewAt = DateTimeOffset.MinValue;
        }
    }

    /// <inheritdoc />
    /// <remarks>Subscribe again on the next pass.</remarks>
    protected override void OnPassFailed(Exception exception) => _renewAt = DateTimeOffset.MinValue;

    /// <inheritdoc />
    /// <remarks>A second stop (a host stopped by its owner and again by its entry point) finds nothing left to release.</remarks>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reference, null) is { } reference)
        {
            try
            {
                await Grain.Unsubscribe(reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogDebug("Unsubscribe failed: {Error}", e.Message);
            }
            grains.DeleteObjectReference<IConfigObserver>(reference);
        }
        await base.StopAsync(cancellationToken);
    }
}
