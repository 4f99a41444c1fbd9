using CliProxy.Abstractions.Activity;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Grains.Activity;

/// <summary>
/// The cluster's attempt counts per credential (see <see cref="ICredentialActivityGrain"/>), in memory on purpose, as the
/// cooldown board: a write per node batch would cost storage for runtime counters the reference keeps in its process.
/// Each node's last applied sequence is remembered so that a batch sent again is counted once.
/// </summary>
[KeepAlive]
public sealed class CredentialActivityGrain([FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time) : Grain, ICredentialActivityGrain
{
    private readonly CredentialActivityLedger _ledger = new();
    private readonly Dictionary<Guid, long> _applied = [];

    /// <inheritdoc />
    public Task Add(CredentialActivityBatch batch)
    {
        if (_applied.TryGetValue(batch.Node, out var last) && batch.Sequence <= last) return Task.CompletedTask;
        _applied[batch.Node] = batch.Sequence;
        var current = RecentRequestWindow.BucketOf(time.GetUtcNow());
        foreach (var count in batch.Counts) _ledger.Add(count.CredentialId, new ActivityCount(count.Bucket, count.Success, count.Failed), current);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CredentialActivityRows> Read()
    {
        var current = RecentRequestWindow.BucketOf(time.GetUtcNow());
        return Task.FromResult(new CredentialActivityRows(current, [.. _ledger.Read(current)]));
    }
}
