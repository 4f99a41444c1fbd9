using CliProxy.Abstractions.Access;
using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.Management;

/// <summary>
/// This node's copy of the access records it uses, so that a request from a known, clean client
/// costs no grain call: a <see cref="GrainStateMirror{TState}"/> of the
/// <see cref="IManagementAccessFeedGrain"/>, whose state here is the <see cref="AccessRecords"/>
/// seen since the feed's version was last read. Every change of a record (failure, ban, reset) is
/// announced by its grain through the feed and applied here, so a ban earned through another
/// gateway holds here as soon as the announcement arrives. A missed announcement (seen by the next
/// one or by the version check) drops every copy; a copy older than <see cref="MaxAge"/> is read
/// again from the grain anyway; while the feed is out of reach, every request asks the grain.
/// </summary>
public sealed class ManagementAccessCache(IGrainFactory grains, TimeProvider time, ILogger<ManagementAccessCache> logger)
    : GrainStateMirror<AccessRecords>(time, logger), IManagementAccessObserver
{
    /// <summary>Oldest copy used without asking the grain.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ObserverRegistration<IManagementAccessObserver> _registration = new(grains);

    private IManagementAccessFeedGrain Feed => grains.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed);

    /// <summary>The record of <paramref name="address"/>.</summary>
    public async ValueTask<AccessStatus> GetStatus(string address)
    {
        var now = Time.GetUtcNow();
        var records = Fresh;
        if (records?.Find(address, now - MaxAge) is { } known && !(known.BannedUntil <= now)) return known;
        var version = Version;
        var status = await Grain(address).GetStatus();
        // Kept only if no announcement arrived meanwhile: it could be newer than this answer.
        if (records is not null && ReferenceEquals(Fresh, records) && Version == version) records.Remember(address, status, Time.GetUtcNow());
        return status;
    }

    /// <summary>Counts a failed attempt of <paramref name="address"/>.</summary>
    public async Task<AccessStatus> RecordFailure(string address)
    {
        var status = await Grain(address).RecordFailure();
        Fresh?.Remember(address, status, Time.GetUtcNow());
        return status;
    }

    /// <summary>Clears the failures of <paramref name="address"/> after a successful login.</summary>
    public async Task RecordSuccess(string address)
    {
        await Grain(address).RecordSuccess();
        Fresh?.Remember(address, new AccessStatus(0, null), Time.GetUtcNow());
    }

    /// <inheritdoc />
    public Task OnChanged(AccessChange change)
    {
        Apply(change.From, change.To, records => records.Remember(change.Address, change.Status, Time.GetUtcNow()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Without the feed, every request asks the grain.</remarks>
    protected override bool InvalidateOnFailedPass => true;

    /// <inheritdoc />
    protected override Task<long> ReadVersionAsync() => Feed.GetVersion();

    /// <inheritdoc />
    /// <remarks>Records are read per address, when a request needs one: the state starts empty.</remarks>
    protected override async Task<(long Version, AccessRecords State)> ReadStateAsync() => (await Feed.GetVersion(), new AccessRecords());

    /// <inheritdoc />
    protected override Task SubscribeAsync() => Feed.Subscribe(_registration.For(this));

    /// <inheritdoc />
    protected override Task UnsubscribeAsync() => _registration.ReleaseAsync(Feed.Unsubscribe);

    private IManagementAccessGrain Grain(string address) => grains.GetGrain<IManagementAccessGrain>(ManagementAccessKeys.For(address));
}
