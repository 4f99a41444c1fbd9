using System.Globalization;
using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>Command-line options of the proxy benchmark (defaults: about 12 minutes, of them the 5-minute soak).</summary>
/// <param name="Rounds">Rounds over all paths; figures are medians of rounds.</param>
/// <param name="Seconds">Measured seconds per non-streaming run (after <paramref name="WarmupSeconds"/>).</param>
/// <param name="StreamSeconds">Measured seconds per streaming run.</param>
/// <param name="SoakSeconds">Length of the memory soak through the gateway (usage on).</param>
/// <param name="Chunks">SSE chunks per streamed answer of the fake upstream.</param>
/// <param name="ChunkDelayMs">Delay between two chunks (the first is sent at once).</param>
/// <param name="NginxWorkers">nginx <c>worker_processes</c> (<c>auto</c> = one per CPU).</param>
/// <param name="PacedRate">Requests per second of the paced runs (<c>--paced-rate</c>, 0: none): every path once more, non-streaming, at a
/// rate below every proxy's capacity, for the latency a proxy adds without queueing (the closed loop runs saturated, where latency
/// follows throughput).</param>
/// <param name="Compare">Path of another build's <c>CliProxy.Gateway.dll</c>, measured as one more path (usage off) in the same
/// rounds (<c>--compare</c>): changes are judged by their ratio to this build within a round, not across runs of a noisy machine.</param>
public sealed record ProxyBenchOptions(int Rounds, double Seconds, double WarmupSeconds, double StreamSeconds, int SoakSeconds, int Connections,
    int Chunks, int ChunkDelayMs, string NginxWorkers, string Configuration, bool SkipGateway, double PacedRate, string? Compare)
{
    public LoadShape Load => new(Connections, WarmupSeconds, Seconds);
    public LoadShape Stream => new(Connections, WarmupSeconds, StreamSeconds);
    public LoadShape Paced => new(Connections, WarmupSeconds, Seconds, PacedRate);

    public static ProxyBenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        string Get(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
        return new ProxyBenchOptions(
            int.Parse(Get("rounds", quick ? "1" : "5")), double.Parse(Get("seconds", "2"), CultureInfo.InvariantCulture), double.Parse(Get("warmup", "0.5"), CultureInfo.InvariantCulture),
            double.Parse(Get("stream-seconds", "1.5"), CultureInfo.InvariantCulture), int.Parse(Get("soak-seconds", quick ? "20" : "300")), int.Parse(Get("connections", "32")),
            int.Parse(Get("chunks", "8")), int.Parse(Get("chunk-delay-ms", "10")), Get("nginx-workers", "auto"), Get("configuration", "Release"),
            args.Contains("--no-gateway"), double.Parse(Get("paced-rate", "2000"), CultureInfo.InvariantCulture), Get("compare", "") is { Length: > 0 } compare ? Path.GetFullPath(compare) : null);
    }
}
