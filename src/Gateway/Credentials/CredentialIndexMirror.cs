using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.Credentials;

/// <summary>
/// This node's copy of the credential index (<see cref="IAuthFileIndexGrain"/>) as a
/// <see cref="CredentialIndex"/>: a <see cref="GrainStateMirror{TState}"/> that applies the index's
/// change pushes, so finding a credential for a request (by name, <c>auth_index</c> or provider) costs
/// no grain call. A change made through any node reaches every node's copy when its push arrives;
/// a missed push is noticed by the next push or within a second by the version check.
/// </summary>
public sealed class CredentialIndexMirror(IGrainFactory grains, TimeProvider time, ILogger<CredentialIndexMirror> logger)
    : GrainStateMirror<CredentialIndex>(time, logger), IAuthFileIndexObserver
{
    private readonly ObserverRegistration<IAuthFileIndexObserver> _registration = new(grains);

    private IAuthFileIndexGrain Index => grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index);

    /// <inheritdoc />
    public Task OnIndexChanged(AuthFileIndexChange change)
    {
        Apply(change.From, change.To, index => index.With(change.Upserted, change.Removed));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<long> ReadVersionAsync() => Index.GetVersion();

    /// <inheritdoc />
    protected override async Task<(long Version, CredentialIndex State)> ReadStateAsync()
    {
        var snapshot = await Index.GetSnapshot();
        return (snapshot.Version, CredentialIndex.Of(snapshot.Files));
    }

    /// <inheritdoc />
    protected override Task SubscribeAsync() => Index.Subscribe(_registration.For(this));

    /// <inheritdoc />
    protected override Task UnsubscribeAsync() => _registration.ReleaseAsync(Index.Unsubscribe);
}
