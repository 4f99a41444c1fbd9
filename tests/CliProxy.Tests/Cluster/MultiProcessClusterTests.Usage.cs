using CliProxy.Abstractions.Usage;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CliProxy.Tests.Cluster;

/// <summary>Usage statistics on the multi-process cluster: the per-node path through a silo kill.</summary>
public sealed partial class MultiProcessClusterTests
{
    /// <summary>
    /// A node (this test process, an Orleans client of the cluster, with the gateway's recorder and
    /// flusher) records 20,000 usage records in batches of 500 while the silo hosting the usage grain
    /// is killed (SIGKILL): every record ends up counted exactly once (batches whose answer was lost are
    /// sent again and counted once), the totals are the same through both gateways' <c>GET /usage</c>,
    /// and an import through a gateway afterwards finds every detail already stored.
    /// </summary>
    [Fact]
    public async Task Killing_the_usage_grains_silo_while_a_node_flushes_loses_and_doubles_no_record()
    {
        var client = await Harness.GetClusterClientAsync();
        var grain = client.GetGrain<IUsageGrain>(UsageGrainKeys.Default);
        var before = (await grain.GetSnapshot()).Utf8;
        var victim = await Harness.FindHostAsync(grain) ?? throw new InvalidOperationException("usage grain not active\n" + Harness.Describe());

        var options = Options.Create(new UsageRecorderOptions { MaxBatch = 500, BufferCapacity = 50_000 });
        var configs = new ConfigSnapshotCache(client, NullLogger<ConfigSnapshotCache>.Instance, TimeProvider.System);
        var recorder = new UsageRecorder(options, new UsageSwitch(configs), TimeProvider.System);
        var flusher = new UsageFlusher(recorder, client, options, TimeProvider.System, NullLogger<UsageFlusher>.Instance);
        var key = "sk-kill-" + Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20_000; i++)
            Assert.Equal(UsageRecordOutcome.Buffered, recorder.Record(UsageKit.Record(key, "m" + i % 3, start.AddTicks(i * 10L), input: i % 100, output: 1, zone: TimeZoneInfo.Utc)));

        var flushing = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (recorder.Counters.Pending > 0)
            {
                try
                {
                    await flusher.FlushAsync();
                }
                catch (Exception e) when (DateTime.UtcNow < deadline)
                {
                    output.WriteLine($"flush failed ({e.GetType().Name}), sending again");
                    await Task.Delay(200);
                }
            }
        });
        await Poll.UntilAsync(() => recorder.Counters.Counted >= 4_000 || flushing.IsCompleted, TimeSpan.FromSeconds(60), () => recorder.Counters.ToString(), TimeSpan.FromMilliseconds(2));
        Assert.False(flushing.IsCompleted, "all records were flushed before the kill");
        await Harness.KillAsync(victim);
        await flushing;

        Assert.Equal(new UsageRecorderCounters(20_000, 0, 0, 0, 20_000, 0, 0), recorder.Counters);
        foreach (var gateway in cluster.Gateways)
        {
            var usage = System.Text.Json.Nodes.JsonNode.Parse(await gateway.ExpectOkAsync(GatewayNode.Management + "/usage"))!["usage"]!;
            var api = usage["apis"]![key]!;
            Assert.Equal(20_000, api["total_requests"]!.GetValue<long>());
            Assert.Equal(Enumerable.Range(0, 20_000).Sum(i => (long)(i % 100 + 1)), api["total_tokens"]!.GetValue<long>());
        }
        var beforeTotal = System.Text.Json.Nodes.JsonNode.Parse(before)!["total_requests"]!.GetValue<long>();
        var export = await A.ExpectOkAsync(GatewayNode.Management + "/usage/export");
        var again = await B.SendAsync(HttpMethod.Post, GatewayNode.Management + "/usage/import", export);
        Assert.True(again.IsSuccess, again.ToString());
        var result = System.Text.Json.Nodes.JsonNode.Parse(again.Body)!;
        Assert.Equal(0, result["added"]!.GetValue<long>());
        Assert.Equal(beforeTotal + 20_000, result["total_requests"]!.GetValue<long>());
    }
}
