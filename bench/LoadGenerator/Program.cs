using CliProxy.Bench;

// Usage: dotnet run --project bench/LoadGenerator -c Release -- [--seconds 10] [--connections 32] [--scenario management]
var options = BenchOptions.Parse(args);
await using var gateway = await GatewayUnderTest.StartAsync(options);
var scenarios = Scenarios.For(options.Scenario, gateway);
var results = new List<(string Name, double Rps)>();
foreach (var scenario in scenarios)
{
    var rps = await LoadRun.MeasureAsync(gateway.BaseAddress, scenario, options);
    results.Add((scenario.Name, rps));
    Console.WriteLine($"{scenario.Name,-28} {rps,10:F0} req/s");
}
Report.Print(results, options);
