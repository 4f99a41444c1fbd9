using CliProxy.Abstractions.Config;
using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.ConfigCache;

/// <summary>
/// This node's copy of the current config document: a <see cref="GrainStateMirror{TState}"/> of the
/// config grain, whose pushes are whole snapshots. It also takes the snapshot returned by each write
/// made through this node, so a client reads its own writes at once and other nodes' writes as
/// soon as the notification arrives. Before the first snapshot, and after losing contact with the
/// cluster, it reads from the grain before serving.
/// </summary>
public sealed class ConfigSnapshotCache(IGrainFactory grains, ILogger<ConfigSnapshotCache> logger, TimeProvider time)
    : GrainStateMirror<ConfigView>(time, logger), IConfigObserver
{
    private readonly ObserverRegistration<IConfigObserver> _registration = new(grains);
    private IConfigGrain? _grain;

    /// <summary>
    /// The config grain (one reference, resolved on first use: building a reference costs a type
    /// lookup, and a cluster client can only resolve it once connected).
    /// </summary>
    public IConfigGrain Grain => _grain ??= grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    /// <summary>Adopts <paramref name="snapshot"/> if it is newer than the current view (the grain's versions only grow).</summary>
    public void Offer(ConfigSnapshot snapshot)
    {
        if (Version is { } current && current >= snapshot.Version) return;
        Offer(snapshot.Version, new ConfigView(snapshot));
    }

    /// <inheritdoc />
    public Task OnConfigChanged(ConfigSnapshot snapshot)
    {
        Offer(snapshot);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<long> ReadVersionAsync() => Grain.GetVersion();

    /// <inheritdoc />
    protected override async Task<(long Version, ConfigView State)> ReadStateAsync()
    {
        var snapshot = await Grain.GetSnapshot();
        return (snapshot.Version, new ConfigView(snapshot));
    }

    /// <inheritdoc />
    protected override Task SubscribeAsync() => Grain.Subscribe(_registration.For(this));

    /// <inheritdoc />
    protected override Task UnsubscribeAsync() => _registration.ReleaseAsync(Grain.Unsubscribe);
}
