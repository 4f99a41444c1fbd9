namespace CliProxy.Bench;

/// <summary>Prints each scenario's median throughput and median ratio to the baseline of the same round.</summary>
public static class Report
{
    public static void Print(IReadOnlyList<Scenario> scenarios, List<double[]> rounds, BenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"| scenario ({options.Connections} connections, {options.Seconds} s per run, median of {rounds.Count} rounds) | req/s | vs bare |");
        Console.WriteLine("|---|---:|---:|");
        for (var i = 0; i < scenarios.Count; i++)
        {
            var rps = Stats.Median(rounds.Select(r => r[i]));
            var ratio = Stats.Median(rounds.Select(r => r[i] / r[0]));
            Console.WriteLine($"| {scenarios[i].Name} | {rps:F0} | {ratio:P0} |");
        }
    }
}
