namespace CliProxy.Bench;

/// <summary>Prints the ratios of every scenario against the baseline of the same run.</summary>
public static class Report
{
    public static void Print(List<(string Name, double Rps)> results, BenchOptions options)
    {
        var baseline = results[0].Rps;
        Console.WriteLine();
        Console.WriteLine($"| scenario ({options.Connections} connections, {options.Seconds} s each) | req/s | vs bare |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, rps) in results) Console.WriteLine($"| {name} | {rps:F0} | {rps / baseline:P0} |");
    }
}
