using System.Diagnostics;
using System.Text.Json.Nodes;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.Usage;

namespace CliProxy.UsageBench;

public sealed record UsageBenchOptions(long Records, int Rounds, int Producers, double Rate, long CapacityRecords);

/// <summary>One round's figures.</summary>
public sealed record UsageRound(double Get1kMs, double Get1MMs, double Heap10kMb, double Heap1MMb, double Ws10kMb, double Ws1MMb,
    double PacedRate, long Lost, double CapacityRate, long CapacityLost, long Counted)
{
    public override string ToString() =>
        $"GET /usage {Get1kMs:F2} ms (1k) / {Get1MMs:F2} ms (1M) = {Get1MMs / Get1kMs:F2}x; heap {Heap10kMb:F1} / {Heap1MMb:F1} MB = {Heap1MMb / Heap10kMb:F2}x; " +
        $"working set {Ws10kMb:F0} / {Ws1MMb:F0} MB = {Ws1MMb / Ws10kMb:F2}x; paced {PacedRate:F0} rec/s, lost {Lost}; capacity {CapacityRate:F0} rec/s, lost {CapacityLost}; counted {Counted}";
}

public static class UsageRun
{
    private static readonly string[] Keys = Enumerable.Range(0, 20).Select(i => $"sk-bench-client-{i:D2}").ToArray();
    private static readonly string[] Models = ["claude-sonnet-4-5", "gpt-5-codex", "gemini-2.5-pro", "gemini-2.5-flash", "glm-4.6"];
    private static readonly DateTimeOffset Base = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Record <paramref name="i"/>: 20 client keys × 5 models, in time order 2.6 s apart (1M records span 30 days).</summary>
    private static UsageRecord Make(long i) => new(Keys[i % Keys.Length], "POST /v1/chat/completions", "claude", Models[i / Keys.Length % Models.Length],
        "3f9a1c7e22b0d451", "user@example.com", UsageTimestamp.From(Base.AddTicks(i * 26_000_000), TimeZoneInfo.Utc),
        new UsageTokens(100 + i % 50, 20 + i % 7, 0, i % 3, 0), i % 17 == 0, 250);

    public static async Task<UsageRound> RoundAsync(UsageBenchOptions o)
    {
        await using var g = await BenchGateway.StartAsync(new Dictionary<string, string?>());
        long next = 0;
        next = await PacedAsync(g, next, 1_000, o);
        var get1k = await GetTimeAsync(g);
        next = await PacedAsync(g, next, 10_000, o);
        var (heap10k, ws10k) = Memory();
        var sw = Stopwatch.StartNew();
        var before = g.Recorder.Counters;
        next = await PacedAsync(g, next, o.Records, o);
        var paced = (o.Records - 10_000) / sw.Elapsed.TotalSeconds;
        var after = g.Recorder.Counters;
        var lost = after.DroppedFull - before.DroppedFull;
        var get1m = await GetTimeAsync(g);
        var (heap1m, ws1m) = Memory();
        // Capacity: producers offer records whenever the buffer has room (closed loop), still with zero loss.
        sw.Restart();
        var capBefore = g.Recorder.Counters;
        await ClosedLoopAsync(g, next, o.CapacityRecords, o.Producers);
        next += o.CapacityRecords;
        var capacity = o.CapacityRecords / sw.Elapsed.TotalSeconds;
        var capLost = g.Recorder.Counters.DroppedFull - capBefore.DroppedFull;
        var total = (await g.Client.GetFromJsonNode("/v0/management/usage"))["usage"]!["total_requests"]!.GetValue<long>();
        if (total != next - lost - capLost || g.Recorder.Counters.Counted != total)
            throw new InvalidOperationException($"records in {next - lost - capLost}, counted by the grain {total}, acknowledged {g.Recorder.Counters.Counted}");
        return new UsageRound(get1k, get1m, heap10k, heap1m, ws10k, ws1m, paced, lost, capacity, capLost, total);
    }

    /// <summary>Records up to <paramref name="upTo"/> in all at the offered rate, then waits until every one is acknowledged.</summary>
    private static async Task<long> PacedAsync(BenchGateway g, long start, long upTo, UsageBenchOptions o)
    {
        var count = upTo - start;
        var sw = Stopwatch.StartNew();
        var per = (long)Math.Ceiling((double)count / o.Producers);
        var tasks = Enumerable.Range(0, o.Producers).Select(p => Task.Run(async () =>
        {
            var first = start + p * per;
            var last = Math.Min(upTo, first + per);
            var rate = o.Rate / o.Producers;
            for (var i = first; i < last; i++)
            {
                var due = (i - first) / rate;
                var wait = due - sw.Elapsed.TotalSeconds;
                if (wait > 0.002) await Task.Delay(TimeSpan.FromSeconds(wait));
                g.Recorder.Record(Make(i));
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await DrainAsync(g);
        return upTo;
    }

    private static async Task ClosedLoopAsync(BenchGateway g, long start, long count, int producers)
    {
        var per = count / producers;
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = start + p * per; i < start + (p + 1) * per; i++)
            {
                while (g.Recorder.Counters.Pending > 80_000) await Task.Delay(1);
                g.Recorder.Record(Make(i));
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await DrainAsync(g);
    }

    private static async Task DrainAsync(BenchGateway g)
    {
        while (g.Recorder.Counters.Pending > 0) await Task.Delay(5);
    }

    /// <summary>Median time of 200 <c>GET /usage</c> after 20 for warm-up, in ms.</summary>
    private static async Task<double> GetTimeAsync(BenchGateway g)
    {
        for (var i = 0; i < 20; i++) await g.Client.GetByteArrayAsync("/v0/management/usage");
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            await g.Client.GetByteArrayAsync("/v0/management/usage");
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }

    private static (double HeapMb, double WorkingSetMb) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var p = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(false) / 1048576.0, p.WorkingSet64 / 1048576.0);
    }

    public static void Report(List<UsageRound> rounds, UsageBenchOptions o)
    {
        Console.WriteLine();
        Console.WriteLine($"| usage, median of {rounds.Count} rounds ({o.Producers} producers) | figure | target |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| paced ingestion ({o.Rate:F0} rec/s offered, {o.Records:N0} records), achieved | {Median(rounds.Select(r => r.PacedRate)):F0} rec/s, lost {string.Join(" / ", rounds.Select(r => r.Lost))} | ≥ 50,000, 0 lost |");
        Console.WriteLine($"| closed-loop capacity ({o.CapacityRecords:N0} more records) | {Median(rounds.Select(r => r.CapacityRate)):F0} rec/s, lost {string.Join(" / ", rounds.Select(r => r.CapacityLost))} | |");
        Console.WriteLine($"| GET /usage after 1k records | {Median(rounds.Select(r => r.Get1kMs)):F2} ms | |");
        Console.WriteLine($"| GET /usage after {o.Records:N0} records | {Median(rounds.Select(r => r.Get1MMs)):F2} ms | |");
        Console.WriteLine($"| GET ratio | {Median(rounds.Select(r => r.Get1MMs / r.Get1kMs)):F2}x | ≤ 2x |");
        Console.WriteLine($"| managed heap after 10k / {o.Records:N0} (after full GC) | {Median(rounds.Select(r => r.Heap10kMb)):F1} / {Median(rounds.Select(r => r.Heap1MMb)):F1} MB = {Median(rounds.Select(r => r.Heap1MMb / r.Heap10kMb)):F2}x | ≤ 1.5x |");
        Console.WriteLine($"| working set after 10k / {o.Records:N0} | {Median(rounds.Select(r => r.Ws10kMb)):F0} / {Median(rounds.Select(r => r.Ws1MMb)):F0} MB = {Median(rounds.Select(r => r.Ws1MMb / r.Ws10kMb)):F2}x | ≤ 1.5x |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<JsonNode> GetFromJsonNode(this HttpClient client, string path) => JsonNode.Parse(await client.GetStringAsync(path))!;
}
