using Orleans.Concurrency;

namespace CliProxy.Abstractions.Access;

/// <summary>
/// Tells every gateway about changes of access records (key <see cref="ManagementAccessKeys.Feed"/>):
/// failures, bans and resets. Gateways keep a local copy of the records they use and still
/// enforce a ban earned through another gateway at once: an announcement completes only after every
/// reachable gateway has applied it (a gateway that does not answer within
/// <c>ManagementAccessFeedGrain.DeliveryTimeout</c> is skipped and dropped by its subscription expiry).
/// Each announcement moves the feed's version on by one, so a gateway that missed one notices it
/// (by the next announcement, or by comparing versions) and drops its copy.
/// </summary>
public interface IManagementAccessFeedGrain : IGrainWithStringKey
{
    /// <summary>Announces the new record of <paramref name="address"/>; completes once the gateways applied it.</summary>
    Task Publish(string address, AccessStatus status);

    /// <summary>
    /// The version of the latest announcement. It starts, on each activation, from the activation's
    /// clock in microseconds, so a feed that moved to another silo does not repeat an old version.
    /// </summary>
    [AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>Registers <paramref name="observer"/>; renew within a few minutes.</summary>
    Task Subscribe(IManagementAccessObserver observer);

    /// <summary>Stops announcements to <paramref name="observer"/>.</summary>
    Task Unsubscribe(IManagementAccessObserver observer);
}

/// <summary>Receives access-record announcements.</summary>
public interface IManagementAccessObserver : IGrainObserver
{
    /// <summary>An announcement (see <see cref="AccessChange"/>); completes once applied.</summary>
    Task OnChanged(AccessChange change);
}

/// <summary>One announcement of the access feed.</summary>
/// <param name="From">The feed's version before it.</param>
/// <param name="To">The feed's version after it (<paramref name="From"/> + 1).</param>
/// <param name="Address">The client address whose record changed.</param>
/// <param name="Status">Its new record.</param>
[GenerateSerializer, Immutable]
public sealed record AccessChange(
    [property: Id(0)] long From,
    [property: Id(1)] long To,
    [property: Id(2)] string Address,
    [property: Id(3)] AccessStatus Status);
