namespace CliProxy.Abstractions.Access;

/// <summary>
/// Tells every gateway about changes of access records (key <see cref="ManagementAccessKeys.Feed"/>):
/// failures, bans and resets. Gateways keep a local copy of the records they use and still
/// enforce a ban earned through another gateway at once: an announcement completes only after every
/// reachable gateway has applied it (a gateway that does not answer within
/// <c>ManagementAccessFeedGrain.DeliveryTimeout</c> is skipped and dropped by its subscription expiry).
/// </summary>
public interface IManagementAccessFeedGrain : IGrainWithStringKey
{
    /// <summary>Announces the new record of <paramref name="address"/>; completes once the gateways applied it.</summary>
    Task Publish(string address, AccessStatus status);

    /// <summary>Registers <paramref name="observer"/>; renew within a few minutes.</summary>
    Task Subscribe(IManagementAccessObserver observer);
}

/// <summary>Receives access-record announcements.</summary>
public interface IManagementAccessObserver : IGrainObserver
{
    /// <summary>The record of <paramref name="address"/> is now <paramref name="status"/>; completes once applied.</summary>
    Task OnChanged(string address, AccessStatus status);
}
