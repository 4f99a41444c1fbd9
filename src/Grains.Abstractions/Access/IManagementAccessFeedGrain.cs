using Orleans.Concurrency;

namespace CliProxy.Abstractions.Access;

/// <summary>
/// Tells every gateway about changes of access records (key <see cref="ManagementAccessKeys.Feed"/>):
/// failures, bans and resets. Gateways keep a local copy of the records they use and still
/// enforce a ban earned through another gateway at once.
/// </summary>
public interface IManagementAccessFeedGrain : IGrainWithStringKey
{
    /// <summary>Announces the new record of <paramref name="address"/>.</summary>
    [OneWay]
    Task Publish(string address, AccessStatus status);

    /// <summary>Registers <paramref name="observer"/>; renew within a few minutes.</summary>
    Task Subscribe(IManagementAccessObserver observer);
}

/// <summary>Receives access-record announcements.</summary>
public interface IManagementAccessObserver : IGrainObserver
{
    /// <summary>The record of <paramref name="address"/> is now <paramref name="status"/>.</summary>
    [OneWay]
    Task OnChanged(string address, AccessStatus status);
}
