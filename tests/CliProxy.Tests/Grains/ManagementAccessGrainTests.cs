using CliProxy.Abstractions.Access;
using CliProxy.Grains.Access;

namespace CliProxy.Tests.Grains;

[Grain]
public sealed class ManagementAccessGrainTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IManagementAccessGrain Access(int silo, string ip) => fixture.Silo(silo).GetGrain<IManagementAccessGrain>(ManagementAccessKeys.For(ip));

    [Fact]
    public async Task Five_failures_ban_for_thirty_minutes_on_every_silo()
    {
        const string ip = "198.51.100.1";
        for (var i = 1; i <= 4; i++) Assert.Null((await Access(i % 2, ip).RecordFailure()).BannedUntil);
        var banned = await Access(1, ip).RecordFailure();
        Assert.Equal(fixture.Time.GetUtcNow() + TimeSpan.FromMinutes(30), banned.BannedUntil);
        Assert.NotNull((await Access(0, ip).GetStatus()).BannedUntil);

        fixture.Time.Advance(TimeSpan.FromMinutes(30));
        var after = await Access(0, ip).GetStatus();
        Assert.Null(after.BannedUntil);
        Assert.Equal(0, after.Failures);
    }

    [Fact]
    public async Task Failures_expire_after_the_window_and_a_success_resets_them()
    {
        const string ip = "198.51.100.2";
        for (var i = 0; i < 4; i++) await Access(0, ip).RecordFailure();
        fixture.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(0, (await Access(1, ip).GetStatus()).Failures);
        Assert.Null((await Access(1, ip).RecordFailure()).BannedUntil);

        await Access(0, ip).RecordSuccess();
        Assert.Equal(0, (await Access(1, ip).GetStatus()).Failures);
    }

    /// <summary>
    /// Regression (issue 8 item 3): the grain counted the failure in its state, then wrote; a failed
    /// write left a count (here: a ban) that storage never had. The record must stay as stored.
    /// </summary>
    [Fact]
    public async Task A_failure_that_could_not_be_stored_leaves_the_record_as_stored()
    {
        const string ip = "198.51.100.4";
        for (var i = 0; i < 4; i++) await Access(i % 2, ip).RecordFailure();
        await fixture.WhileWritesFail(() => Assert.ThrowsAnyAsync<Exception>(() => Access(1, ip).RecordFailure()));
        Assert.Equal(new AccessStatus(4, null), await Access(0, ip).GetStatus());

        var banned = await Access(1, ip).RecordFailure();
        Assert.Equal(fixture.Time.GetUtcNow() + ManagementAccessGrain.BanDuration, banned.BannedUntil);
    }

    /// <summary>
    /// Regression: a success that could not be stored must not clear the record in memory either.
    /// </summary>
    [Fact]
    public async Task A_success_that_could_not_be_stored_keeps_the_failures()
    {
        const string ip = "198.51.100.5";
        for (var i = 0; i < 3; i++) await Access(i % 2, ip).RecordFailure();
        await fixture.WhileWritesFail(() => Assert.ThrowsAnyAsync<Exception>(() => Access(0, ip).RecordSuccess()));
        Assert.Equal(3, (await Access(1, ip).GetStatus()).Failures);
    }

    /// <summary>
    /// Regression: announcements were fire-and-forget, so a gateway could still serve a banned
    /// address right after the banning request answered. Now the ban is applied on every subscribed
    /// gateway before the failure that earned it returns.
    /// </summary>
    [Fact]
    public async Task A_ban_reaches_every_subscribed_gateway_before_the_failure_that_earned_it_returns()
    {
        const string ip = "198.51.100.3";
        var gateways = new[] { new RecordingObserver(), new RecordingObserver() };
        var feed = fixture.Cluster.Client.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed);
        var references = gateways.Select(g => fixture.Cluster.Client.CreateObjectReference<IManagementAccessObserver>(g)).ToList();
        foreach (var reference in references) await feed.Subscribe(reference);
        try
        {
            for (var i = 0; i < 4; i++) await Access(i % 2, ip).RecordFailure();
            var banned = await Access(1, ip).RecordFailure();

            Assert.NotNull(banned.BannedUntil);
            foreach (var gateway in gateways)
            {
                Assert.True(gateway.Seen.TryGetValue(ip, out var seen), "the gateway never heard of " + ip);
                Assert.Equal(banned, seen);
            }
        }
        finally
        {
            // Left subscribed, the observers outlive this test only as weak references: once collected, every later
            // announcement of the class's shared feed waited its whole delivery timeout for them (2 s each).
            foreach (var reference in references)
            {
                await feed.Unsubscribe(reference);
                fixture.Cluster.Client.DeleteObjectReference<IManagementAccessObserver>(reference);
            }
        }
    }

    [Fact]
    public async Task Each_announcement_moves_the_feed_version_by_one_and_carries_it()
    {
        var gateway = new RecordingObserver();
        var feed = fixture.Silo(0).GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed);
        var reference = fixture.Cluster.Client.CreateObjectReference<IManagementAccessObserver>(gateway);
        await fixture.Cluster.Client.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed).Subscribe(reference);
        try
        {
            var before = await feed.GetVersion();
            var banned = new AccessStatus(0, fixture.Time.GetUtcNow() + ManagementAccessGrain.BanDuration);
            await feed.Publish("203.0.113.7", banned);
            await feed.Publish("203.0.113.8", new AccessStatus(1, null));

            // The pushes are one-way: the grain answered before the observer got them.
            await Poll.UntilAsync(() => gateway.Changes.Count >= 2, TimeSpan.FromSeconds(10), () => "both pushes received");
            Assert.Equal(before + 2, await fixture.Silo(1).GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed).GetVersion());
            Assert.Equal([new AccessChange(before, before + 1, "203.0.113.7", banned), new AccessChange(before + 1, before + 2, "203.0.113.8", new AccessStatus(1, null))],
                gateway.Changes);
        }
        finally
        {
            await feed.Unsubscribe(reference);
            fixture.Cluster.Client.DeleteObjectReference<IManagementAccessObserver>(reference);
        }
    }

    /// <summary>
    /// Regression: the feed told its gateways one after another, so a gateway that hung (or was gone) held back every
    /// gateway behind it until its call timed out; CI once saw a push not arrive within 10 s.
    /// </summary>
    [Fact]
    public async Task A_hanging_gateway_does_not_hold_back_the_others()
    {
        var hanging = new HangingObserver();
        var gateway = new RecordingObserver();
        var feed = fixture.Cluster.Client.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed);
        var hangingReference = fixture.Cluster.Client.CreateObjectReference<IManagementAccessObserver>(hanging);
        var reference = fixture.Cluster.Client.CreateObjectReference<IManagementAccessObserver>(gateway);
        await feed.Subscribe(hangingReference);
        await feed.Subscribe(reference);
        try
        {
            await feed.Publish("203.0.113.9", new AccessStatus(1, null));

            // Publish waits at most its delivery timeout; the other gateway got the push at once, not after the hung call.
            await Poll.UntilAsync(() => gateway.Changes.Count >= 1, TimeSpan.FromSeconds(1), () => "the push to the gateway that answers");
            Assert.Equal("203.0.113.9", Assert.Single(gateway.Changes).Address);
        }
        finally
        {
            hanging.Release();
            await feed.Unsubscribe(hangingReference);
            await feed.Unsubscribe(reference);
            fixture.Cluster.Client.DeleteObjectReference<IManagementAccessObserver>(hangingReference);
            fixture.Cluster.Client.DeleteObjectReference<IManagementAccessObserver>(reference);
        }
    }

    private sealed class HangingObserver : IManagementAccessObserver
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public Task OnChanged(AccessChange change) => _release.Task;
    }

    private sealed class RecordingObserver : IManagementAccessObserver
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, AccessStatus> Seen { get; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<AccessChange> Changes { get; } = new();

        public Task OnChanged(AccessChange change)
        {
            Changes.Enqueue(change);
            Seen[change.Address] = change.Status;
            return Task.CompletedTask;
        }
    }
}
