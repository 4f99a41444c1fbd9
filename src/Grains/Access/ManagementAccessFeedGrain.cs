using CliProxy.Abstractions.Access;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace CliProxy.Grains.Access;

/// <summary>Fans access-record announcements out to the subscribed gateways (see <see cref="IManagementAccessFeedGrain"/>).</summary>
[KeepAlive]
public sealed class ManagementAccessFeedGrain(ILogger<ManagementAccessFeedGrain> logger) : Grain, IManagementAccessFeedGrain
{
    private readonly ObserverManager<IManagementAccessObserver> _observers = new(TimeSpan.FromMinutes(5), logger);

    /// <inheritdoc />
    public Task Publish(string address, AccessStatus status)
    {
        _observers.Notify(o => o.OnChanged(address, status));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Subscribe(IManagementAccessObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }
}
