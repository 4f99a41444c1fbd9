using CliProxy.Abstractions.Usage;
using CliProxy.Grains.Usage;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Grains.Usage;

/// <summary>What a flush acknowledged survives a restart of the whole cluster; the recent window is bounded.</summary>
[Grain]
public sealed class UsageRestartTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_restarted_cluster_serves_the_same_snapshot_and_remembers_applied_batches()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var node = Guid.NewGuid();
        var batch = new UsageBatch(node, 1, Enumerable.Range(0, 40).Select(i => UsageKit.Detail("sk-restart", i % 2 == 0 ? "a" : "b", Start.AddMinutes(i), i, 1, failed: i % 7 == 0)).ToArray());
        byte[] before;
        await using (var first = await UsageCluster.StartAsync(dir.Path, time, o => o.RecentDetails = 25))
        {
            var (recorder, flusher) = first.Node(1);
            recorder.Record(UsageKit.Record("sk-restart", "c", Start.AddHours(3)));
            await flusher.FlushAsync();
            await first.Grain(0).Record(batch);
            before = (await first.Grain(1).GetSnapshot()).Utf8;
        }
        var shown = UsageKit.Details(System.Text.Json.Nodes.JsonNode.Parse(before)!).Count();
        Assert.Equal(25, shown);
        await using var second = await UsageCluster.StartAsync(dir.Path, time, o => o.RecentDetails = 25);
        Assert.Equal(before, (await second.Grain(1).GetSnapshot()).Utf8);
        Assert.True((await second.Grain(0).Record(batch)).AlreadyApplied);
        Assert.True(File.Exists(Path.Combine(second.DataDirectory, UsageHostingExtensions.DatabaseFileName)));
    }
}
