using CliProxy.Bench;

// Usage: dotnet run --project bench/LoadGenerator -c Release -- [--scenario management|auth-files|cluster] [--seconds 8] [--warmup 3] [--connections 32] [--rounds 3] [--only PATCH] [--changes 200]
// Every round measures the bare endpoint first, then each scenario; a scenario's ratio in a round is
// taken against that round's baseline, and the report gives the median over the rounds.
var options = BenchOptions.Parse(args);
if (options.Scenario == "auth-files")
{
    await AuthFileListBench.RunAsync(options);
    return;
}
if (options.Scenario == "cluster")
{
    // 2 silos + 2 client-mode gateways on a throwaway PostgreSQL: propagation latency A → B, and 1 vs 2 gateways.
    await ClusterBench.RunAsync(options, int.Parse(args.SkipWhile(a => a != "--changes").Skip(1).FirstOrDefault() ?? "200"));
    return;
}
await using var gateway = await GatewayUnderTest.StartAsync(options.Configuration);
var scenarios = Scenarios.For(options.Scenario, gateway);
if (options.Only is { } only) scenarios = [scenarios[0], .. scenarios.Skip(1).Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
var rounds = new List<double[]>();
for (var round = 1; round <= options.Rounds; round++)
{
    var rps = new double[scenarios.Count];
    for (var i = 0; i < scenarios.Count; i++)
    {
        rps[i] = (await LoadRun.MeasureAsync([gateway.BaseAddress], scenarios[i], options.Load)).RequestsPerSecond;
        Console.WriteLine($"round {round}: {scenarios[i].Name,-36} {rps[i],10:F0} req/s");
    }
    rounds.Add(rps);
}
Report.Print(scenarios, rounds, options);
