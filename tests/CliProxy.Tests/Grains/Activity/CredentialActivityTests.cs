using CliProxy.Abstractions.Activity;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Gateway.Proxy.Activity;
using CliProxy.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CliProxy.Tests.Grains.Activity;

/// <summary>
/// The cluster's attempt counts per credential on a 2-silo cluster: what two nodes send adds up wherever it is read, a
/// batch sent again counts once, buckets leave the window by the grain's clock, and a node's recorder sends what it
/// counted, last when it stops. Each test uses its own credential ids (the grain is shared by the class).
/// </summary>
[Grain]
public sealed class CredentialActivityTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private ICredentialActivityGrain Grain(int silo) => fixture.Silo(silo).GetGrain<ICredentialActivityGrain>(CredentialActivityKeys.Cluster);

    private long Current => RecentRequestWindow.BucketOf(fixture.Time.GetUtcNow());

    [Fact]
    public async Task Two_nodes_add_up_and_a_batch_sent_again_counts_once()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var bucket = Current;
        var first = new CredentialActivityBatch(a, 1, [new("twice[0]", bucket, 2, 0)]);
        await Grain(0).Add(first);
        await Grain(1).Add(new CredentialActivityBatch(b, 1, [new("twice[0]", bucket, 0, 1)]));
        await Grain(0).Add(first); // its answer was lost: sent again
        await Grain(0).Add(new CredentialActivityBatch(a, 2, [new("twice[0]", bucket, 1, 0)]));

        var rows = await Grain(1).Read();
        var twice = Assert.Single(rows.Credentials, c => c.CredentialId == "twice[0]");
        Assert.Equal((3L, 1L), (twice.Success, twice.Failed));
        Assert.Equal(new ActivityCount(bucket, 3, 1), Assert.Single(twice.Recent));
    }

    [Fact]
    public async Task A_node_sends_what_it_counted_at_start_and_then_every_second()
    {
        var recorder = new CredentialActivityRecorder(fixture.Silo(0), fixture.Time, NullLogger<CredentialActivityRecorder>.Instance);
        recorder.Record("recorded[0]", success: true);
        recorder.Record("recorded[0]", success: false);
        await using (await StartedService.StartAsync(recorder))
        {
            await Mgmt.Eventually(async () => (await Grain(1).Read()).ByCredential().GetValueOrDefault("recorded[0]") is { Success: 1, Failed: 1 },
                TimeSpan.FromSeconds(10), "the first pass's batch");
            recorder.Record("recorded[0]", success: true);
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Mgmt.Eventually(async () => (await Grain(1).Read()).ByCredential().GetValueOrDefault("recorded[0]") is { Success: 2, Failed: 1 },
                TimeSpan.FromSeconds(10), "the next pass's batch");
        }
    }

    [Fact]
    public async Task A_stopping_node_sends_what_it_counted_since_its_last_pass()
    {
        var recorder = new CredentialActivityRecorder(fixture.Silo(0), fixture.Time, NullLogger<CredentialActivityRecorder>.Instance);
        recorder.Record("stopping[0]", success: true);
        await using (await StartedService.StartAsync(recorder))
        {
            await Mgmt.Eventually(async () => (await Grain(1).Read()).ByCredential().ContainsKey("stopping[0]"),
                TimeSpan.FromSeconds(10), "the first pass's batch");
            recorder.Record("stopping[0]", success: false); // no timed pass follows: the clock does not move
        }

        var stopping = (await Grain(1).Read()).ByCredential()["stopping[0]"];
        Assert.Equal((1L, 1L), (stopping.Success, stopping.Failed));
    }

    [Fact]
    public async Task Buckets_leave_the_window_by_the_grains_clock_and_the_totals_stay()
    {
        await Grain(0).Add(new CredentialActivityBatch(Guid.NewGuid(), 1, [new("aging[0]", Current, 4, 0)]));
        Assert.NotEmpty((await Grain(0).Read()).ByCredential()["aging[0]"].Recent);

        fixture.Time.Advance(TimeSpan.FromSeconds(RecentRequestWindow.BucketSeconds * RecentRequestWindow.BucketCount));

        var aging = (await Grain(1).Read()).ByCredential()["aging[0]"];
        Assert.Empty(aging.Recent);
        Assert.Equal((4L, 0L), (aging.Success, aging.Failed));
    }
}
