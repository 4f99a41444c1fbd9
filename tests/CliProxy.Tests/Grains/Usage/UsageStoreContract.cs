using CliProxy.Domain.Usage;
using CliProxy.Grains.Usage;

namespace CliProxy.Tests.Grains.Usage;

/// <summary>What every <see cref="IUsageStore"/> does: all-or-nothing batches, unique details, the state's version check, pages, retention.</summary>
public abstract class UsageStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 23, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IUsageStore> NewStoreAsync();

    private static UsageState With(UsageState state, IReadOnlyList<UsageDetail> inserted)
    {
        var next = state.Clone();
        foreach (var d in inserted) next.Totals.Add(d);
        return next;
    }

    [Fact]
    public async Task A_new_store_is_empty()
    {
        var store = await NewStoreAsync();
        var (state, version) = await store.LoadAsync(default);
        Assert.Equal((0, 0L), (state.Totals.TotalRequests, version));
        Assert.Equal(0, await store.LastIdAsync(default));
        Assert.Empty(await store.RecentAsync(10, default));
    }

    [Fact]
    public async Task Batches_store_new_details_once_with_the_state_and_read_back_in_order()
    {
        var store = await NewStoreAsync();
        var a = UsageKit.Detail("k", "m", T0);
        var b = UsageKit.Detail("k", "m", T0.AddTicks(1)); // 100 ns later: another record
        var c = UsageKit.Detail("k", "other", T0.AddSeconds(1));
        var first = await store.CommitAsync([a, b, a], ins => With(new UsageState(), ins), 0, default);
        Assert.Equal([a, b], first.Inserted);
        Assert.Equal(1, first.Version);
        var second = await store.CommitAsync([b, c], ins => With(first.State, ins), 1, default);
        Assert.Equal([c], second.Inserted);
        Assert.Equal(2, second.Version);
        Assert.True(second.LastId > first.LastId);
        var (state, version) = await store.LoadAsync(default);
        Assert.Equal((3, 2L), (state.Totals.TotalRequests, version));
        Assert.Equal(second.LastId, await store.LastIdAsync(default));
        Assert.Equal([b, c], await store.RecentAsync(2, default));
        Assert.Equal([a, b], await AllAsync(store, "k", "m", first.LastId, 1));
        Assert.Equal([c], await AllAsync(store, "k", "other", second.LastId, 10));
        Assert.Empty(await AllAsync(store, "k", "other", first.LastId, 10)); // stored after the watermark
        Assert.Empty(await AllAsync(store, "nobody", "m", second.LastId, 10));
    }

    /// <summary>Every detail of one API and model up to <paramref name="upTo"/>, read page by page as the export does.</summary>
    private static async Task<List<UsageDetail>> AllAsync(IUsageStore store, string api, string model, long upTo, int limit)
    {
        var all = new List<UsageDetail>();
        for (long after = 0; ;)
        {
            var page = await store.PageAsync(api, model, after, upTo, limit, default);
            if (page.Count == 0) return all;
            all.AddRange(page.Select(p => p.Detail));
            after = page[^1].Id;
        }
    }

    [Fact]
    public async Task A_stale_version_stores_nothing()
    {
        var store = await NewStoreAsync();
        var first = await store.CommitAsync([UsageKit.Detail("k", "m", T0)], ins => With(new UsageState(), ins), 0, default);
        await Assert.ThrowsAsync<UsageStateConflictException>(() =>
            store.CommitAsync([UsageKit.Detail("k", "m", T0.AddSeconds(5))], ins => With(new UsageState(), ins), 0, default));
        await Assert.ThrowsAsync<UsageStateConflictException>(() =>
            store.CommitAsync([UsageKit.Detail("k", "m", T0.AddSeconds(6))], ins => With(new UsageState(), ins), 7, default));
        Assert.Equal(first.LastId, await store.LastIdAsync(default));
        Assert.Equal(1, (await store.LoadAsync(default)).Version);
        // The details of the refused batches were not kept: they are new now.
        var again = await store.CommitAsync([UsageKit.Detail("k", "m", T0.AddSeconds(5))], ins => With(first.State, ins), 1, default);
        Assert.Single(again.Inserted);
    }

    [Fact]
    public async Task Purge_deletes_details_older_than_the_cutoff()
    {
        var store = await NewStoreAsync();
        var old = UsageKit.Detail("k", "m", T0.AddDays(-40));
        var fresh = UsageKit.Detail("k", "m", T0);
        var first = await store.CommitAsync([old], ins => With(new UsageState(), ins), 0, default);
        var commit = await store.CommitAsync([fresh], ins => With(first.State, ins), 1, default);
        Assert.Equal(1, await store.PurgeAsync(T0.AddDays(-30), default));
        Assert.Equal([fresh], await AllAsync(store, "k", "m", commit.LastId, 10));
        Assert.Equal(2, (await store.LoadAsync(default)).State.Totals.TotalRequests);
    }
}

/// <summary><see cref="UsageStoreContract"/> for the embedded mode's SQLite store.</summary>
[Unit]
public sealed class SqliteUsageStoreTests : UsageStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <inheritdoc />
    protected override Task<IUsageStore> NewStoreAsync() => Task.FromResult<IUsageStore>(new SqliteUsageStore(_dir.File(Guid.NewGuid().ToString("N") + ".db")));

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
