using System.Globalization;
using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>One round: per path name, the non-streaming and the streaming run (closed loops), and the paced run (if any).</summary>
public sealed class ProxyRound
{
    public Dictionary<string, LoadResult> Plain { get; } = [];
    public Dictionary<string, LoadResult> Stream { get; } = [];
    public Dictionary<string, LoadResult> Paced { get; } = [];
}

/// <summary>
/// Prints medians over rounds: of each path's figures, of its throughput ratio to nginx and of its added latency
/// (p50 of the path minus p50 of direct, within a round); then the targets, and the soak's memory.
/// </summary>
public static class ProxyReport
{
    private const string Direct = "direct", Nginx = "nginx", Bare = "bare YARP forwarder", Off = "gateway, usage off", On = "gateway, usage on";

    /// <summary>The path of the other build (<c>--compare</c>), usage off.</summary>
    public const string Compared = "compared build, usage off";

    public static void Print(ProxyBenchOptions o, IReadOnlyList<string> paths, List<ProxyRound> rounds, (LoadResult Load, List<MemorySample> Samples)? soak)
    {
        double M(Func<ProxyRound, double> f) => Stats.Median(rounds.Select(f));
        // An allocation figure is missing when a process's probe lost its session: "n/a" then, rather than a median of fewer rounds.
        string Bytes(Func<ProxyRound, double?> f, string format) =>
            rounds.Select(f).ToList() is var all && all.All(v => v is not null) ? Stats.Median(all.Select(v => v!.Value)).ToString(format, CultureInfo.InvariantCulture) : "n/a";
        Console.WriteLine();
        Console.WriteLine($"| path ({o.Connections} connections, {o.Seconds:0.#} s per run, median of {rounds.Count} rounds) | req/s | vs nginx | p50 | p99 | added p50 | stream: first byte p50 | added first byte | CPU per request | allocated per request |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in paths)
        {
            Console.WriteLine($"| {p} | {M(r => r.Plain[p].RequestsPerSecond):F0} | {M(r => r.Plain[p].RequestsPerSecond / r.Plain[Nginx].RequestsPerSecond):P0} " +
                $"| {M(r => r.Plain[p].P50):F2} ms | {M(r => r.Plain[p].P99):F2} ms | {M(r => r.Plain[p].P50 - r.Plain[Direct].P50):F2} ms " +
                $"| {M(r => r.Stream[p].FirstByteP50):F2} ms | {M(r => r.Stream[p].FirstByteP50 - r.Stream[Direct].FirstByteP50):F2} ms " +
                $"| {(rounds[0].Plain[p].CpuUsPerRequest is null ? "—" : $"{M(r => r.Plain[p].CpuUsPerRequest!.Value):F0} µs")} " +
                $"| {(rounds[0].Plain[p].AllocatedBytesPerRequest is null ? "—" : Bytes(r => r.Plain[p].AllocatedBytesPerRequest, "F0") + " B")} |");
        }
        Console.WriteLine($"\nstreaming: {o.Chunks} SSE chunks {o.ChunkDelayMs} ms apart (first at once), {o.StreamSeconds:0.#} s per run; nginx worker_processes {o.NginxWorkers}");
        var paced = rounds[0].Paced.Count > 0;
        if (paced)
        {
            Console.WriteLine($"\n| path, paced at {o.PacedRate:F0} req/s ({o.Connections} connections, {o.Seconds:0.#} s per run, median of {rounds.Count} rounds) | req/s | p50 | p99 | added p50 | added p50 vs nginx's | CPU per request |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var p in paths)
            {
                Console.WriteLine($"| {p} | {M(r => r.Paced[p].RequestsPerSecond):F0} | {M(r => r.Paced[p].P50):F2} ms | {M(r => r.Paced[p].P99):F2} ms " +
                    $"| {M(r => r.Paced[p].P50 - r.Paced[Direct].P50):F3} ms | {(p == Direct ? "—" : $"{M(r => PacedRatio(r, p)):F2}×")} " +
                    $"| {(rounds[0].Paced[p].CpuUsPerRequest is null ? "—" : $"{M(r => r.Paced[p].CpuUsPerRequest!.Value):F0} µs")} |");
            }
        }
        if (!paths.Contains(Off)) return;

        double AddedRatio(ProxyRound r, string p) => (r.Plain[p].P50 - r.Plain[Direct].P50) / (r.Plain[Nginx].P50 - r.Plain[Direct].P50);
        static double PacedRatio(ProxyRound r, string p) => (r.Paced[p].P50 - r.Paced[Direct].P50) / (r.Paced[Nginx].P50 - r.Paced[Direct].P50);
        var throughput = M(r => r.Plain[Off].RequestsPerSecond / r.Plain[Nginx].RequestsPerSecond);
        var throughputOn = M(r => r.Plain[On].RequestsPerSecond / r.Plain[Nginx].RequestsPerSecond);
        var added = M(r => AddedRatio(r, Off));
        var addedOn = M(r => AddedRatio(r, On));
        var usageCost = M(r => 1 - r.Plain[On].RequestsPerSecond / r.Plain[Off].RequestsPerSecond);
        var cpuRatio = M(r => r.Plain[Off].CpuUsPerRequest!.Value / r.Plain[Nginx].CpuUsPerRequest!.Value);
        var bareCpuRatio = M(r => r.Plain[Bare].CpuUsPerRequest!.Value / r.Plain[Nginx].CpuUsPerRequest!.Value);
        var bareThroughput = M(r => r.Plain[Bare].RequestsPerSecond / r.Plain[Nginx].RequestsPerSecond);
        var gatewayOverBare = M(r => r.Plain[Off].CpuUsPerRequest!.Value - r.Plain[Bare].CpuUsPerRequest!.Value);
        var cpuUsage = M(r => r.Plain[On].CpuUsPerRequest!.Value / r.Plain[Off].CpuUsPerRequest!.Value - 1);
        Console.WriteLine();
        Console.WriteLine("| target | measured (median of per-round ratios) | met |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine($"| gateway req/s ≥ 60 % of nginx's | usage off {throughput:P1}, usage on {throughputOn:P1} | {Met(throughput >= 0.6 && throughputOn >= 0.6)} |");
        Console.WriteLine($"| gateway p50 added latency ≤ 2× nginx's | usage off {added:F2}×, usage on {addedOn:F2}× | {Met(added <= 2 && addedOn <= 2)} |");
        Console.WriteLine($"| usage on costs ≤ 10 % of throughput vs usage off | {usageCost:P1} | {Met(usageCost <= 0.10)} |");
        if (paced)
            Console.WriteLine($"| (not a target) p50 added latency vs nginx's, paced at {o.PacedRate:F0} req/s (not saturated) | usage off {M(r => PacedRatio(r, Off)):F2}×, usage on {M(r => PacedRatio(r, On)):F2}× (bare YARP {M(r => PacedRatio(r, Bare)):F2}×) | — |");
        Console.WriteLine($"| (not a target) CPU per request, gateway ÷ nginx | usage off {cpuRatio:F2}× (bare YARP {bareCpuRatio:F2}×) | — |");
        Console.WriteLine($"| (not a target) bare YARP forwarder req/s vs nginx | {bareThroughput:P0} | — |");
        var allocOverBare = Bytes(r => r.Plain[Off].AllocatedBytesPerRequest - r.Plain[Bare].AllocatedBytesPerRequest, "F0");
        Console.WriteLine($"| (not a target) CPU the gateway adds to a bare YARP forwarder | usage off {gatewayOverBare:F0} µs per request | — |");
        Console.WriteLine($"| (not a target) bytes the gateway allocates over a bare YARP forwarder | usage off {allocOverBare} B per request | — |");
        Console.WriteLine($"| (not a target) CPU per request, usage on vs off | {cpuUsage:+0.0%;-0.0%} | — |");
        if (paths.Contains(Compared))
        {
            var cpuVsCompared = M(r => r.Plain[Off].CpuUsPerRequest!.Value / r.Plain[Compared].CpuUsPerRequest!.Value - 1);
            var rateVsCompared = M(r => r.Plain[Off].RequestsPerSecond / r.Plain[Compared].RequestsPerSecond - 1);
            var allocVsCompared = Bytes(r => r.Plain[Off].AllocatedBytesPerRequest - r.Plain[Compared].AllocatedBytesPerRequest, "+0;-0");
            Console.WriteLine($"| (not a target) this build vs the compared one, usage off | CPU per request {cpuVsCompared:+0.0%;-0.0%}, req/s {rateVsCompared:+0.0%;-0.0%}, " +
                $"allocated {allocVsCompared} B per request | — |");
        }
        if (soak is not { } s || s.Samples.Count < 2) return;

        var t = s.Samples.Select(x => x.Seconds / 60).ToList();
        var ws = s.Samples.Select(x => x.WorkingSetMb).ToList();
        var (first, last) = (s.Samples[0], s.Samples[^1]);
        Console.WriteLine();
        Console.WriteLine($"| soak through the gateway, usage on ({s.Samples[^1].Seconds:F0} s, {s.Load.RequestsPerSecond:F0} req/s, {s.Samples.Count} samples every 10 s) | first | last | slope |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| working set | {first.WorkingSetMb:F0} MB | {last.WorkingSetMb:F0} MB | {Stats.Slope(t, ws):+0.0;-0.0} MB/min |");
        if (s.Samples.All(x => x.GcHeapMb is not null))
        {
            var heap = s.Samples.Select(x => x.GcHeapMb!.Value).ToList();
            Console.WriteLine($"| GC heap after the last collection | {first.GcHeapMb:F1} MB | {last.GcHeapMb:F1} MB | {Stats.Slope(t, heap):+0.00;-0.00} MB/min |");
        }
    }

    private static string Met(bool met) => met ? "met" : "**not met**";
}
