using CliProxy.Abstractions.Calls;
using CliProxy.Domain.Usage;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.Usage;

/// <summary>
/// The cluster-wide usage statistics (spec §1): the single owner of the aggregates and of the
/// per-request details store. Each node sends what it recorded in batches (<see cref="Record"/>);
/// the grain stores each batch's details and the new aggregates in one transaction, so a batch it
/// acknowledged survives restarts and the loss of its silo, and a batch sent again (after a failure
/// whose outcome was unknown) is counted once. Key: <see cref="UsageGrainKeys.Default"/>.
/// </summary>
public interface IUsageGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores and counts one node batch. Details equal to a stored one (the §1.9 key) are kept and
    /// counted once. Idempotent per (<see cref="UsageBatch.Node"/>, <see cref="UsageBatch.Sequence"/>):
    /// a batch whose sequence the node already had applied is acknowledged without effect.
    /// </summary>
    /// <exception cref="System.Data.Common.DbException">The store is unavailable (nothing of the batch is kept).</exception>
    [RetrySafe]
    Task<UsageBatchResult> Record(UsageBatch batch);

    /// <summary>
    /// Merges imported details (spec §1.9): those whose §1.9 key is not stored yet are stored and
    /// counted (<c>added</c>), the others are <c>skipped</c>, as are details older than the detail
    /// retention. Cost depends on the number of details sent, not on the stored history.
    /// </summary>
    [RetrySafe]
    Task<UsageImportResult> Import(UsageImportChunk chunk);

    /// <summary>The §1.6 snapshot as UTF-8 JSON (aggregates plus the most recent details), rendered once per change.</summary>
    [AlwaysInterleave, RetrySafe]
    Task<UsageSnapshotJson> GetSnapshot();

    /// <summary>The per-day hour buckets as UTF-8 JSON (<c>requests_by_day_hour</c>, <c>tokens_by_day_hour</c>).</summary>
    [AlwaysInterleave, RetrySafe]
    Task<UsageSnapshotJson> GetDayHours();

    /// <summary>
    /// The <c>GET /usage/export</c> document (spec §1.8) in chunks of UTF-8 JSON to be written one
    /// after another: the aggregates as of the start, and every stored detail counted by then, read
    /// from the store one page at a time (no whole-history buffer).
    /// </summary>
    [AlwaysInterleave]
    IAsyncEnumerable<UsageJsonChunk> Export();
}

/// <summary>Keys of <see cref="IUsageGrain"/>.</summary>
public static class UsageGrainKeys
{
    /// <summary>The one usage grain.</summary>
    public const string Default = "default";
}

/// <summary>What one node recorded since its previous batch.</summary>
/// <param name="Node">The sending process (a new id per process start).</param>
/// <param name="Sequence">1, 2, 3, … per <paramref name="Node"/>; a batch is sent again with the same number until acknowledged.</param>
/// <param name="Details">The records, normalised, in the order they were recorded.</param>
[GenerateSerializer, Immutable]
public sealed record UsageBatch([property: Id(0)] Guid Node, [property: Id(1)] long Sequence, [property: Id(2)] UsageDetail[] Details);

/// <summary>Outcome of <see cref="IUsageGrain.Record"/>.</summary>
/// <param name="Counted">Details newly stored and counted.</param>
/// <param name="Duplicates">Details equal to stored ones (not counted again).</param>
/// <param name="AlreadyApplied">True when the batch had been applied before (nothing done now).</param>
[GenerateSerializer, Immutable]
public sealed record UsageBatchResult([property: Id(0)] int Counted, [property: Id(1)] int Duplicates, [property: Id(2)] bool AlreadyApplied);

/// <summary>A part of an import.</summary>
/// <param name="Details">The imported details, normalised.</param>
[GenerateSerializer, Immutable]
public sealed record UsageImportChunk([property: Id(0)] UsageDetail[] Details);

/// <summary>Outcome of <see cref="IUsageGrain.Import"/> (spec §1.9 response fields).</summary>
/// <param name="Added">Details stored and counted.</param>
/// <param name="Skipped">Details already stored (or outside the retention).</param>
/// <param name="TotalRequests">The store's <c>total_requests</c> after the merge.</param>
/// <param name="FailedRequests">The store's <c>failure_count</c> after the merge.</param>
[GenerateSerializer, Immutable]
public sealed record UsageImportResult([property: Id(0)] long Added, [property: Id(1)] long Skipped, [property: Id(2)] long TotalRequests, [property: Id(3)] long FailedRequests);

/// <summary>A rendered snapshot.</summary>
/// <param name="FailureCount">The snapshot's <c>failure_count</c> (the <c>failed_requests</c> of <c>GET /usage</c>).</param>
/// <param name="Utf8">The JSON.</param>
[GenerateSerializer, Immutable]
public sealed record UsageSnapshotJson([property: Id(0)] long FailureCount, [property: Id(1)] byte[] Utf8);

/// <summary>One piece of a streamed JSON document.</summary>
/// <param name="Utf8">The bytes.</param>
[GenerateSerializer, Immutable]
public sealed record UsageJsonChunk([property: Id(0)] byte[] Utf8);
