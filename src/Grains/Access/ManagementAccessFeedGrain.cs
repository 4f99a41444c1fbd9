using CliProxy.Abstractions.Access;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace CliProxy.Grains.Access;

/// <summary>Fans access-record announcements out to the subscribed gateways (see <see cref="IManagementAccessFeedGrain"/>).</summary>
[KeepAlive]
public sealed class ManagementAccessFeedGrain(
    ILogger<ManagementAccessFeedGrain> logger,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time) : Grain, IManagementAccessFeedGrain
{
    private readonly ObserverManager<IManagementAccessObserver> _observers = new(TimeSpan.FromMinutes(5), logger);
    private long _version = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <summary>Longest wait for the gateways to apply one announcement.</summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task Publish(string address, AccessStatus status)
    {
        var change = new AccessChange(_version, _version + 1, address, status);
        _version = change.To;
        // Awaited so that the change that earned a ban answers its caller only after every gateway
        // enforces the ban. Every gateway is told at once: one that is gone or slow must not hold back
        // the others (the manager's Notify calls them one after another).
        _observers.ClearExpired();
        var deliveries = _observers.Observers.ToList().Select(o => DeliverAsync(o.Key, o.Value, change));
        try
        {
            await Task.WhenAll(deliveries).WaitAsync(DeliveryTimeout);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Access announcement for {Address} not confirmed by every gateway within {Timeout}", address, DeliveryTimeout);
        }
    }

    /// <summary>Tells one gateway; a gateway whose call fails is dropped (it subscribes again when it comes back).</summary>
    private async Task DeliverAsync(IAddressable key, IManagementAccessObserver observer, AccessChange change)
    {
        try
        {
            await observer.OnChanged(change);
        }
        catch (Exception e)
        {
            _observers.Unsubscribe(key);
            logger.LogInformation("A gateway did not take an access announcement and was dropped from the feed: {Error}", e.Message);
        }
    }

    /// <inheritdoc />
    public Task<long> GetVersion() => Task.FromResult(_version);

    /// <inheritdoc />
    public Task Subscribe(IManagementAccessObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(IManagementAccessObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
