using System.Collections.Concurrent;
using CliProxy.Abstractions.Access;
using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Management;

/// <summary>
/// This node's copy of the access records it uses, so that a request from a known, clean client
/// costs no grain call. Every change of a record (failure, ban, reset) is announced by its grain
/// through the <see cref="IManagementAccessFeedGrain"/> and applied here, so a ban earned through
/// another gateway holds here as soon as the announcement arrives; a copy older than
/// <see cref="MaxAge"/> is read again from the grain anyway.
/// </summary>
public sealed class ManagementAccessCache(IGrainFactory grains, TimeProvider time, ILogger<ManagementAccessCache> logger)
    : PeriodicBackgroundService(time, logger), IManagementAccessObserver
{
    /// <summary>Oldest copy used without asking the grain.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (AccessStatus Status, DateTimeOffset Seen)> _records = new(StringComparer.Ordinal);
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);
    private volatile bool _subscribed;
    private DateTimeOffset _renewAt;
    private IManagementAccessObserver? _reference;

    /// <summary>Drops every copy (after losing contact with the cluster): records are read from their grains again.</summary>
    public void Invalidate() => _records.Clear();

    /// <summary>The record of <paramref name="address"/>.</summary>
    public async ValueTask<AccessStatus> GetStatus(string address)
    {
        var now = Time.GetUtcNow();
        if (_subscribed && _records.TryGetValue(address, out var e) && now - e.Seen < MaxAge && !(e.Status.BannedUntil <= now)) return e.Status;
        var status = await Grain(address).GetStatus();
        Remember(address, status);
        return status;
    }

    /// <summary>Counts a failed attempt of <paramref name="address"/>.</summary>
    public async Task<AccessStatus> RecordFailure(string address)
    {
        var status = await Grain(address).RecordFailure();
        Remember(address, status);
        return status;
    }

    /// <summary>Clears the failures of <paramref name="address"/> after a successful login.</summary>
    public async Task RecordSuccess(string address)
    {
        await Grain(address).RecordSuccess();
        Remember(address, new AccessStatus(0, null));
    }

    /// <inheritdoc />
    public Task OnChanged(string address, AccessStatus status)
    {
        Remember(address, status);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>The subscription is renewed every minute; a failed one is tried again after this.</remarks>
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        if (_subscribed && Time.GetUtcNow() < _renewAt) return;
        _reference ??= grains.CreateObjectReference<IManagementAccessObserver>(this);
        await grains.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed).Subscribe(_reference);
        _subscribed = true;
        _renewAt = Time.GetUtcNow() + Renewal;
    }

    /// <inheritdoc />
    /// <remarks>Without the feed, every request asks the grain.</remarks>
    protected override void OnPassFailed(Exception exception)
    {
        _subscribed = false;
        _records.Clear();
    }

    private IManagementAccessGrain Grain(string address) => grains.GetGrain<IManagementAccessGrain>(ManagementAccessKeys.For(address));

    private void Remember(string address, AccessStatus status)
    {
        if (_records.Count >= MaxEntries) _records.Clear();
        _records[address] = (status, Time.GetUtcNow());
    }
}
