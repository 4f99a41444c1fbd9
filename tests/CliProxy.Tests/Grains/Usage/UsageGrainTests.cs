using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Abstractions.Usage;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Grains.Usage;

/// <summary>A started <see cref="UsageCluster"/> shared by the tests of <see cref="UsageGrainTests"/>.</summary>
public sealed class UsageClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>The clock of the silos (2026-11-30 12:00 UTC).</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The cluster (details kept for 365 days).</summary>
    public UsageCluster Cluster { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Cluster = await UsageCluster.StartAsync(_dir.Path, Time, o => o.DetailRetention = TimeSpan.FromDays(365));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The usage grain on a 2-silo cluster: batches from both silos, exactly-once batches, de-duplication, export, import, retention.</summary>
[Grain]
public sealed class UsageGrainTests(UsageClusterFixture fixture) : IClassFixture<UsageClusterFixture>
{
    private UsageCluster C => fixture.Cluster;
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 23, 30, 0, TimeSpan.Zero);

    private static async Task<JsonNode> Snapshot(IUsageGrain grain) => JsonNode.Parse((await grain.GetSnapshot()).Utf8)!;

    [Fact]
    public async Task Batches_through_both_silos_add_up_in_one_snapshot_with_per_day_hours()
    {
        var node0 = Guid.NewGuid();
        var node1 = Guid.NewGuid();
        var t0 = new DateTimeOffset(2026, 8, 1, 23, 30, 0, TimeSpan.Zero); // days no other test of the class uses
        var a = Enumerable.Range(0, 30).Select(i => UsageKit.Detail("sk-two-silos", "m1", t0.AddMinutes(i * 2), 10, 5)).ToArray(); // 07:30–08:28 local, 2 Aug
        var b = Enumerable.Range(0, 20).Select(i => UsageKit.Detail("sk-two-silos", "m2", t0.AddHours(24).AddMinutes(i), 1, 1, failed: i % 5 == 0)).ToArray();
        var r0 = await C.Grain(0).Record(new UsageBatch(node0, 1, a));
        var r1 = await C.Grain(1).Record(new UsageBatch(node1, 1, b));
        Assert.Equal((30, 0, false), (r0.Counted, r0.Duplicates, r0.AlreadyApplied));
        Assert.Equal((20, 0, false), (r1.Counted, r1.Duplicates, r1.AlreadyApplied));
        var fromOne = await C.Grain(0).GetSnapshot();
        var fromOther = await C.Grain(1).GetSnapshot();
        Assert.Equal(fromOne.Utf8, fromOther.Utf8);
        var api = JsonNode.Parse(fromOne.Utf8)!["apis"]!["sk-two-silos"]!;
        Assert.Equal(50, api["total_requests"]!.GetValue<long>());
        Assert.Equal(30 * 15 + 20 * 2, api["total_tokens"]!.GetValue<long>());
        Assert.Equal(30, api["models"]!["m1"]!["details"]!.AsArray().Count);
        Assert.Equal(4, api["models"]!["m2"]!["details"]!.AsArray().Count(d => d!["failed"]!.GetValue<bool>()));
        var hours = JsonNode.Parse((await C.Grain(1).GetDayHours()).Utf8)!;
        Assert.Equal(15, hours["requests_by_day_hour"]!["2026-08-02"]!["07"]!.GetValue<long>());
        Assert.Equal(15, hours["requests_by_day_hour"]!["2026-08-02"]!["08"]!.GetValue<long>());
        Assert.Equal(20, hours["requests_by_day_hour"]!["2026-08-03"]!["07"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_batch_sent_again_is_counted_once_and_equal_details_once()
    {
        var node = Guid.NewGuid();
        var details = Enumerable.Range(0, 5).Select(i => UsageKit.Detail("sk-once", "m", Start.AddSeconds(i))).ToArray();
        Assert.Equal(5, (await C.Grain(0).Record(new UsageBatch(node, 1, details))).Counted);
        var again = await C.Grain(1).Record(new UsageBatch(node, 1, details));
        Assert.True(again.AlreadyApplied);
        var overlap = await C.Grain(1).Record(new UsageBatch(node, 2, [details[0], details[0], UsageKit.Detail("sk-once", "m", Start.AddSeconds(99))]));
        Assert.Equal((1, 2), (overlap.Counted, overlap.Duplicates));
        Assert.Equal(6, (await Snapshot(C.Grain(0)))["apis"]!["sk-once"]!["total_requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Two_nodes_record_and_flush_and_every_record_is_counted()
    {
        var (recorder0, flusher0) = C.Node(0, new UsageRecorderOptions { MaxBatch = 64 });
        var (recorder1, flusher1) = C.Node(1, new UsageRecorderOptions { MaxBatch = 64 });
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(UsageRecordOutcome.Buffered, recorder0.Record(UsageKit.Record("sk-nodes", "m", Start.AddMilliseconds(i))));
            Assert.Equal(UsageRecordOutcome.Buffered, recorder1.Record(UsageKit.Record("sk-nodes", "m", Start.AddMilliseconds(i).AddTicks(1))));
        }
        await Task.WhenAll(flusher0.FlushAsync(), flusher1.FlushAsync());
        Assert.Equal(new UsageRecorderCounters(300, 0, 0, 0, 300, 0, 0), recorder0.Counters);
        Assert.Equal(new UsageRecorderCounters(300, 0, 0, 0, 300, 0, 0), recorder1.Counters);
        Assert.Equal(600, (await Snapshot(C.Grain(1)))["apis"]!["sk-nodes"]!["total_requests"]!.GetValue<long>());
    }

    [Fact]
    public void The_recorder_stamps_records_in_its_configured_zone()
    {
        var (recorder, _) = C.Node(0, new UsageRecorderOptions { TimeZone = "Asia/Shanghai" }, fixture.Time);
        var now = recorder.Now();
        Assert.Equal("2026-11-30T20:00:00+08:00", now.Text);
        Assert.Equal(fixture.Time.GetUtcNow(), now.Instant);
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_and_the_rest_is_flushed()
    {
        var (recorder, flusher) = C.Node(0, new UsageRecorderOptions { BufferCapacity = 10 });
        var outcomes = Enumerable.Range(0, 15).Select(i => recorder.Record(UsageKit.Record("sk-full", "m", Start.AddSeconds(i)))).ToList();
        Assert.Equal(10, outcomes.Count(o => o == UsageRecordOutcome.Buffered));
        Assert.Equal(5, outcomes.Count(o => o == UsageRecordOutcome.DroppedFull));
        await flusher.FlushAsync();
        Assert.Equal(new UsageRecorderCounters(15, 0, 5, 0, 10, 0, 0), recorder.Counters);
        Assert.Equal(10, (await Snapshot(C.Grain(0)))["apis"]!["sk-full"]!["total_requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Export_streams_every_detail_in_chunks_and_importing_it_adds_nothing()
    {
        var node = Guid.NewGuid();
        var details = Enumerable.Range(0, 1200).Select(i => UsageKit.Detail("sk-export", "m", Start.AddMilliseconds(i * 7), i, 1)).ToArray();
        await C.Grain(0).Record(new UsageBatch(node, 1, details));
        var chunks = new List<byte[]>();
        await foreach (var chunk in C.Grain(1).Export()) chunks.Add(chunk.Utf8);
        Assert.True(chunks.Count > 1, $"{chunks.Count} chunk(s)");
        var export = JsonNode.Parse(Encoding.UTF8.GetString(chunks.SelectMany(c => c).ToArray()))!;
        Assert.Equal(1, export["version"]!.GetValue<int>());
        Assert.Equal("2026-11-30T12:00:00Z", (string?)export["exported_at"]);
        var exported = export["usage"]!["apis"]!["sk-export"]!["models"]!["m"]!["details"]!.AsArray();
        Assert.Equal(details.Select(d => d.Timestamp.Text), exported.Select(d => (string?)d!["timestamp"]));
        var snapshot = await Snapshot(C.Grain(0));
        Assert.Equal(snapshot["total_requests"]!.GetValue<long>(), export["usage"]!["total_requests"]!.GetValue<long>());

        var again = UsageImport.Parse(export.ToJsonString(), fixture.Time.GetUtcNow(), TimeZoneInfo.Utc, new HashSet<string>());
        var result = await C.Grain(1).Import(new UsageImportChunk([.. again.Details]));
        Assert.Equal(0, result.Added);
        Assert.Equal(again.Details.Count, result.Skipped);
        Assert.Equal(snapshot.ToJsonString(), (await Snapshot(C.Grain(0))).ToJsonString());
    }

    [Fact]
    public async Task Import_counts_new_details_once_and_skips_those_older_than_the_retention()
    {
        var old = UsageKit.Detail("sk-import", "m", fixture.Time.GetUtcNow().AddDays(-400));
        var fresh = UsageKit.Detail("sk-import", "m", fixture.Time.GetUtcNow().AddDays(-1));
        var first = await C.Grain(0).Import(new UsageImportChunk([old, fresh, fresh]));
        Assert.Equal((1, 2), (first.Added, first.Skipped));
        var second = await C.Grain(1).Import(new UsageImportChunk([fresh]));
        Assert.Equal((0, 1), (second.Added, second.Skipped));
        Assert.Equal(1, (await Snapshot(C.Grain(0)))["apis"]!["sk-import"]!["total_requests"]!.GetValue<long>());
    }
}
