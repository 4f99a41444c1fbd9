using CliProxy.Abstractions.Cooldowns;
using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.Proxy.Cooldowns;

/// <summary>
/// This node's copy of the cluster's cooldown board (<see cref="ICooldownBoardGrain"/>) as a
/// <see cref="CooldownTable"/>: a <see cref="GrainStateMirror{TState}"/> that applies the board's change
/// pushes, so the proxy's selection finds a credential's block without a grain call. A 429 reported on any
/// node reaches every node's copy when its push arrives (milliseconds); a missed push is noticed by the next
/// push or within a second by the version check.
/// </summary>
public sealed class CooldownMirror(IGrainFactory grains, TimeProvider time, ILogger<CooldownMirror> logger)
    : GrainStateMirror<CooldownTable>(time, logger), ICooldownBoardObserver
{
    private readonly ObserverRegistration<ICooldownBoardObserver> _registration = new(grains);

    private ICooldownBoardGrain Board => grains.GetGrain<ICooldownBoardGrain>(CooldownBoardKeys.Cluster);

    /// <inheritdoc />
    public Task OnCooldownsChanged(CooldownChange change)
    {
        Accept(change);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (a push, or the answer to this node's own report, whichever comes
    /// first; the other is then ignored).
    /// </summary>
    public void Accept(CooldownChange change) => Apply(change.From, change.To, table => table.Apply(change));

    /// <inheritdoc />
    protected override Task<long> ReadVersionAsync() => Board.GetVersion();

    /// <inheritdoc />
    protected override async Task<(long Version, CooldownTable State)> ReadStateAsync()
    {
        var snapshot = await Board.GetSnapshot();
        return (snapshot.Version, snapshot.ToTable());
    }

    /// <inheritdoc />
    protected override Task SubscribeAsync() => Board.Subscribe(_registration.For(this));

    /// <inheritdoc />
    protected override Task UnsubscribeAsync() => _registration.ReleaseAsync(Board.Unsubscribe);
}
