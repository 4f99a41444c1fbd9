namespace CliProxy.UsageBench;

/// <summary>
/// Usage: dotnet run --project bench/UsageBench -c Release -- [--records 1000000] [--rounds 3] [--producers 4] [--rate 50000] [--capacity-records 500000] [--no-warmup]
/// Each round starts a fresh gateway (embedded mode: SQLite details store, JSON state in the data folder)
/// and records through the node's IUsageRecorder: 1k records → GET /usage time; 10k → memory; then up to
/// --records at --rate records/s (paced, zero loss required) → GET /usage time and memory again. A last
/// phase offers records as fast as the pipeline takes them (closed loop) to show its capacity. A first,
/// unreported round warms the JIT up.
/// </summary>
public static class UsageBenchProgram
{
    public static async Task Main(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
        var options = new UsageBenchOptions(long.Parse(Arg("records", "1000000")), int.Parse(Arg("rounds", "3")), int.Parse(Arg("producers", "4")),
            double.Parse(Arg("rate", "50000")), long.Parse(Arg("capacity-records", "500000")));
        // One round first that is not reported: JIT compilation of the whole path (tiered, then optimised) is not steady state.
        if (args.Contains("--no-warmup") is false)
            Console.WriteLine($"warm-up: {await UsageRun.RoundAsync(options with { Records = Math.Min(options.Records, 200_000), CapacityRecords = 100_000 })}");
        var rounds = new List<UsageRound>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            var result = await UsageRun.RoundAsync(options);
            Console.WriteLine($"round {round}: {result}");
            rounds.Add(result);
        }
        UsageRun.Report(rounds, options);
    }
}
