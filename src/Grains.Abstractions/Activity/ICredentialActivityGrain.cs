using CliProxy.Abstractions.Calls;
using CliProxy.Domain.Proxy.Activity;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.Activity;

/// <summary>
/// The cluster's counts of upstream attempts per credential (the reference's per-credential <c>success</c>/<c>failed</c> and
/// <c>recent_requests</c>, served by <c>GET /api-key-usage</c>), one grain per deployment (key
/// <see cref="CredentialActivityKeys.Cluster"/>). Every node counts its attempts and sends them in batches about once a
/// second (<see cref="Add"/>); the management API reads them in one call (<see cref="Read"/>). The counts live in memory,
/// like the reference's (runtime state, not statistics: those are the usage store's): they start again from zero when the
/// grain's silo stops.
/// </summary>
public interface ICredentialActivityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds one node batch. Idempotent per (<see cref="CredentialActivityBatch.Node"/>, <see cref="CredentialActivityBatch.Sequence"/>):
    /// a batch sent again after a call whose outcome was unknown is counted once.
    /// </summary>
    [RetrySafe]
    Task Add(CredentialActivityBatch batch);

    /// <summary>Every credential counted so far, with its buckets still in the window at the grain's clock.</summary>
    [AlwaysInterleave, RetrySafe]
    Task<CredentialActivityRows> Read();
}

/// <summary>Keys of <see cref="ICredentialActivityGrain"/>.</summary>
public static class CredentialActivityKeys
{
    /// <summary>The one grain.</summary>
    public const string Cluster = "cluster";
}

/// <summary>What one node counted since its previous batch.</summary>
/// <param name="Node">The sending process (a new id per process start).</param>
/// <param name="Sequence">1, 2, 3, … per node; a batch is sent again with the same number until acknowledged.</param>
/// <param name="Counts">Per credential and bucket: attempts that succeeded and that failed.</param>
[GenerateSerializer, Immutable]
public sealed record CredentialActivityBatch([property: Id(0)] Guid Node, [property: Id(1)] long Sequence, [property: Id(2)] CredentialActivityCount[] Counts);

/// <summary>Attempts of one credential in one 10-minute bucket.</summary>
[GenerateSerializer, Immutable]
public sealed record CredentialActivityCount([property: Id(0)] string CredentialId, [property: Id(1)] long Bucket, [property: Id(2)] long Success, [property: Id(3)] long Failed);

/// <summary>Answer of <see cref="ICredentialActivityGrain.Read"/>.</summary>
/// <param name="Current">The grain's current bucket (the window's newest).</param>
/// <param name="Credentials">Every credential counted so far: its totals and its buckets still in the window.</param>
[GenerateSerializer, Immutable]
public sealed record CredentialActivityRows([property: Id(0)] long Current, [property: Id(1)] CredentialActivity[] Credentials)
{
    /// <summary>The credentials' counts by credential id.</summary>
    public Dictionary<string, CredentialActivity> ByCredential() => Credentials.ToDictionary(c => c.CredentialId, StringComparer.Ordinal);
}
