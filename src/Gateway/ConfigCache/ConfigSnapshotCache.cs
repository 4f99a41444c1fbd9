using CliProxy.Abstractions.Config;

namespace CliProxy.Gateway.ConfigCache;

/// <summary>
/// This node's copy of the current config document. It subscribes to the config grain as an
/// observer (renewed every minute) and also takes the snapshot returned by each write made
/// through this node, so a client reads its own writes at once and other nodes' writes as soon
/// as the notification arrives. Before the first snapshot, and after losing contact, it reads
/// from the grain.
/// </summary>
public sealed class ConfigSnapshotCache(IGrainFactory grains, ILogger<ConfigSnapshotCache> logger) : BackgroundService, IConfigObserver
{
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private volatile ConfigView? _current;
    private IConfigObserver? _reference;

    /// <summary>The current view, or null before the first snapshot arrived.</summary>
    public ConfigView? Current => _current;

    /// <summary>The config grain (one reference, resolved once: building a reference costs a type lookup).</summary>
    public IConfigGrain Grain { get; } = grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    /// <summary>The current view, reading it from the config grain if this node has none yet.</summary>
    public async ValueTask<ConfigView> GetAsync() => _current ?? await RefreshAsync();

    /// <summary>Reads the current snapshot from the config grain.</summary>
    public async Task<ConfigView> RefreshAsync()
    {
        Offer(await Grain.GetSnapshot());
        return _current!;
    }

    /// <summary>Adopts <paramref name="snapshot"/> if it is newer than the current view.</summary>
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<IConfigObserver>(this);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Renewal;
            try
            {
                await Grain.Subscribe(_reference);
                await RefreshAsync();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Config subscription failed, retrying: {Error}", e.Message);
                delay = TimeSpan.FromSeconds(1);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            try
            {
                await Grain.Unsubscribe(_reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e)
            {
                logger.LogDebug("Unsubscribe failed: {Error}", e.Message);
            }
            grains.DeleteObjectReference<IConfigObserver>(_reference);
        }
        await base.StopAsync(cancellationToken);
    }
}
