using CliProxy.Domain.Usage;

namespace CliProxy.Grains.Usage;

/// <summary>
/// Durable storage of the usage grain: the per-request details (unique by their §1.9 key) and the
/// grain's state row, changed together in one transaction. Embedded mode: <see cref="SqliteUsageStore"/>
/// (a file in the data folder); cluster mode: <see cref="PostgresUsageStore"/> (the
/// <c>usage_details</c> and <c>usage_state</c> tables).
/// </summary>
public interface IUsageStore
{
    /// <summary>The stored state and its version (0 and an empty state when none was stored).</summary>
    Task<(UsageState State, long Version)> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The id of the newest stored detail (0 when none).</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="count"/> details, oldest first.</summary>
    Task<IReadOnlyList<UsageDetail>> RecentAsync(int count, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: stores those of <paramref name="details"/> (unique by their hash) that are
    /// not stored yet, computes the next state from them with <paramref name="next"/>, and stores it
    /// if the stored version is still <paramref name="expectedVersion"/>. All or nothing.
    /// </summary>
    /// <exception cref="UsageStateConflictException">The state row changed meanwhile (another activation wrote): nothing was kept.</exception>
    Task<UsageCommit> CommitAsync(IReadOnlyList<UsageDetail> details, Func<IReadOnlyList<UsageDetail>, UsageState> next, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// The next details of one API and model with <paramref name="afterId"/> &lt; id ≤ <paramref name="upToId"/>, by id:
    /// about <paramref name="limit"/> of them (a store that keeps details in groups returns whole groups); empty when none is left.
    /// </summary>
    Task<IReadOnlyList<StoredDetail>> PageAsync(string api, string model, long afterId, long upToId, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes details that started before <paramref name="before"/>; returns how many.</summary>
    Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>Outcome of <see cref="IUsageStore.CommitAsync"/>.</summary>
/// <param name="Inserted">The details newly stored, in the order <see cref="IUsageStore.RecentAsync"/> reads them back (arrival order within each API and model).</param>
/// <param name="State">The stored state.</param>
/// <param name="Version">Its version.</param>
/// <param name="LastId">The id of the newest stored detail after the commit.</param>
public sealed record UsageCommit(IReadOnlyList<UsageDetail> Inserted, UsageState State, long Version, long LastId);

/// <summary>A stored detail with its id (ids grow in arrival order).</summary>
/// <param name="Id">The row id.</param>
/// <param name="Detail">The detail.</param>
public sealed record StoredDetail(long Id, UsageDetail Detail);

/// <summary>The usage state row was written by someone else since it was read.</summary>
public sealed class UsageStateConflictException() : Exception("the usage state was changed by another writer");
