using CliProxy.Bench;
using CliProxy.ProxyBench;

// Usage: dotnet run --project bench/ProxyBench -c Release -- [--quick] [--rounds 5] [--seconds 2] [--warmup 0.5] [--stream-seconds 1.5]
//   [--soak-seconds 300] [--connections 32] [--chunks 8] [--chunk-delay-ms 10] [--nginx-workers auto] [--no-gateway]
//   [--paced-rate 2000] [--compare <another build's CliProxy.Gateway.dll>]
// Paths to the same fake upstream: direct, nginx proxy_pass, a bare YARP forwarder (the floor of a .NET proxy), the gateway
// with usage statistics off, and on (and, with --compare, another build's gateway, usage off). Each round
// measures every path non-streaming, then streaming (closed loops), then non-streaming paced at --paced-rate (even rounds in reverse
// order); the report gives medians over rounds of figures and of ratios taken within a round. Then a memory soak through the gateway (usage on). --quick: 1 round and a 20-second soak (about 1 minute).
var options = ProxyBenchOptions.Parse(args);
Console.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, load average {File.ReadAllText("/proc/loadavg").Trim()}");
await using var upstream = await FakeUpstream.StartAsync(options.Chunks, TimeSpan.FromMilliseconds(options.ChunkDelayMs));
await using var nginx = await NginxUnderTest.StartAsync(upstream.BaseAddress, options.NginxWorkers);
await using var bare = await BareForwarderUnderTest.StartAsync(upstream.BaseAddress, options.Configuration);
await using var usageOff = options.SkipGateway ? null
    : await GatewayUnderTest.StartAsync(options.Configuration, config: port => GatewayConfig.For(port, upstream.BaseAddress, usage: false));
await using var usageOn = options.SkipGateway ? null
    : await GatewayUnderTest.StartAsync(options.Configuration, config: port => GatewayConfig.For(port, upstream.BaseAddress, usage: true));
await using var compared = options.SkipGateway || options.Compare is null ? null
    : await GatewayUnderTest.StartAsync(options.Configuration, config: port => GatewayConfig.For(port, upstream.BaseAddress, usage: false), dll: options.Compare);
// Bytes allocated per request, counted from each .NET process's GC events (see AllocationProbe).
await using var bareAllocations = AllocationProbe.Attach(bare.ProcessId);
await using var offAllocations = usageOff is null ? null : AllocationProbe.Attach(usageOff.ProcessId);
await using var onAllocations = usageOn is null ? null : AllocationProbe.Attach(usageOn.ProcessId);
await using var comparedAllocations = compared is null ? null : AllocationProbe.Attach(compared.ProcessId);

// A .NET server reaches its steady state (tier-1 code with dynamic PGO) only after some seconds of load; a server is
// judged by its steady state, so the .NET paths get 12 unreported seconds first (4 s left the first rounds at 2–3× the
// CPU per request of the last).
const double JitWarmup = 12;
List<ProxyPath> paths = [new("direct", upstream.BaseAddress, null), new("nginx", nginx.BaseAddress, null, Cpu: nginx.CpuTime),
    new("bare YARP forwarder", bare.BaseAddress, null, JitWarmup, bare.CpuTime, bareAllocations.AllocatedBytesAsync)];
if (usageOff is not null && usageOn is not null)
    paths.AddRange([new("gateway, usage off", usageOff.BaseAddress, GatewayConfig.ClientKey, JitWarmup, usageOff.CpuTime, offAllocations!.AllocatedBytesAsync),
        new("gateway, usage on", usageOn.BaseAddress, GatewayConfig.ClientKey, JitWarmup, usageOn.CpuTime, onAllocations!.AllocatedBytesAsync)]);
if (compared is not null) paths.Add(new(ProxyReport.Compared, compared.BaseAddress, GatewayConfig.ClientKey, JitWarmup, compared.CpuTime, comparedAllocations!.AllocatedBytesAsync));
foreach (var path in paths) await ProxyCheck.AnswersAsync(path);

// Unreported: JIT (tiered compilation under load) and connection pools of every path, both kinds of request.
foreach (var path in paths)
{
    await LoadRun.MeasureAsync([path.BaseAddress], path.Chat(stream: false), new LoadShape(options.Connections, 0, path.WarmupSeconds));
    await LoadRun.MeasureAsync([path.BaseAddress], path.Chat(stream: true), new LoadShape(options.Connections, 0, 1));
}

var rounds = new List<ProxyRound>();
for (var round = 1; round <= options.Rounds; round++)
{
    var result = new ProxyRound();
    // Even rounds go through the paths in reverse order, so that a drift of the machine's load does not favour one path.
    List<(Dictionary<string, LoadResult> Runs, bool Stream, LoadShape Shape, string Suffix)> kinds =
        [(result.Plain, false, options.Load, ""), (result.Stream, true, options.Stream, " (stream)")];
    if (options.PacedRate > 0) kinds.Add((result.Paced, false, options.Paced, $" (at {options.PacedRate:F0}/s)"));
    foreach (var (runs, stream, shape, suffix) in kinds)
    {
        foreach (var path in round % 2 == 1 ? paths : paths.AsEnumerable().Reverse())
        {
            var run = await LoadRun.MeasureAsync([path.BaseAddress], path.Chat(stream), shape, path.Cpu, path.Allocated);
            runs[path.Name] = run;
            Console.WriteLine($"round {round}: {path.Name + suffix,-40} {run.RequestsPerSecond,8:F0} req/s  p50 {run.P50,6:F2} ms  p99 {run.P99,6:F2} ms" +
                (stream ? $"  first byte p50 {run.FirstByteP50,6:F2} ms" : "") + (run.CpuUsPerRequest is { } cpu ? $"  CPU {cpu,6:F0} µs/req" : "") +
                (run.AllocatedBytesPerRequest is { } bytes ? $"  alloc {bytes,6:F0} B/req" : ""));
        }
    }
    rounds.Add(result);
}

(LoadResult Load, List<MemorySample> Samples)? soak = null;
if (usageOn is not null && options.SoakSeconds > 0)
    soak = await MemorySoak.RunAsync(usageOn, paths[^1].Chat(stream: false), new LoadShape(options.Connections, 0, options.SoakSeconds));

ProxyReport.Print(options, [.. paths.Select(p => p.Name)], rounds, soak);
Console.WriteLine($"\nload average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
