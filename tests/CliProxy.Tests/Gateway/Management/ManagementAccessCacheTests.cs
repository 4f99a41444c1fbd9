using CliProxy.Abstractions.Access;
using CliProxy.Gateway.Management;
using CliProxy.Grains.Access;
using CliProxy.Tests.Grains;
using Microsoft.Extensions.Logging.Abstractions;

namespace CliProxy.Tests.Gateway.Management;

/// <summary>
/// The gateway's copy of access records (a mirror of the access feed) against a 2-silo cluster: a
/// ban announced by the feed replaces a cached clean record at once, and a copy that missed
/// announcements is dropped by the version check.
/// </summary>
[Grain]
public sealed class ManagementAccessCacheTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private IManagementAccessGrain Access(int silo, string ip) => fixture.Silo(silo).GetGrain<IManagementAccessGrain>(ManagementAccessKeys.For(ip));

    private IManagementAccessFeedGrain Feed => fixture.Silo(0).GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed);

    private ManagementAccessCache NewCache() => new(fixture.Cluster.Client, fixture.Time, NullLogger<ManagementAccessCache>.Instance);

    private async Task InSync(ManagementAccessCache cache) =>
        await Poll.UntilAsync(async () => cache.Fresh is not null && cache.Version == await Feed.GetVersion(), Prompt,
            () => $"the cache at the feed's version (cache {cache.Version})");

    [Fact]
    public async Task A_ban_earned_through_the_silos_replaces_the_cached_clean_record_at_once()
    {
        const string ip = "192.0.2.10";
        var cache = NewCache();
        await using (await StartedService.StartAsync(cache))
        {
            await InSync(cache);
            Assert.Equal(new AccessStatus(0, null), await cache.GetStatus(ip));

            for (var i = 0; i < ManagementAccessGrain.MaxFailures; i++) await Access(i % 2, ip).RecordFailure();

            // The cached clean record is far younger than MaxAge: only the announcement can have replaced it.
            Assert.NotNull((await cache.GetStatus(ip)).BannedUntil);
        }
    }

    [Fact]
    public async Task Announcements_missed_while_unsubscribed_are_noticed_by_the_version_check()
    {
        const string ip = "192.0.2.11";
        var cache = NewCache();
        await cache.StartAsync(CancellationToken.None);
        await InSync(cache);
        Assert.Equal(new AccessStatus(0, null), await cache.GetStatus(ip));
        await cache.StopAsync(CancellationToken.None);

        // Stopped: unsubscribed, so these announcements do not reach the copy, which still serves the clean record.
        for (var i = 0; i < ManagementAccessGrain.MaxFailures; i++) await Access(i % 2, ip).RecordFailure();
        Assert.Null((await cache.GetStatus(ip)).BannedUntil);

        await using (await StartedService.StartAsync(cache))
        {
            await InSync(cache);
            Assert.NotNull((await cache.GetStatus(ip)).BannedUntil);
        }
    }

    [Fact]
    public async Task An_announcement_after_a_gap_drops_every_cached_record()
    {
        var cache = NewCache();
        await using (await StartedService.StartAsync(cache))
        {
            await InSync(cache);
            var version = cache.Version!.Value;
            await cache.OnChanged(new AccessChange(version + 1, version + 2, "192.0.2.12", new AccessStatus(1, null)));
            Assert.Null(cache.Fresh);
        }
    }
}
