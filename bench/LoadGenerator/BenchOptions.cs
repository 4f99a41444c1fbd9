namespace CliProxy.Bench;

/// <summary>Command-line options of the load generator.</summary>
public sealed record BenchOptions(int Seconds, int WarmupSeconds, int Connections, string Scenario, string Configuration, string? Only, int Rounds)
{
    /// <summary>The closed-loop shape of one run.</summary>
    public LoadShape Load => new(Connections, WarmupSeconds, Seconds);

    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new BenchOptions(int.Parse(Get("seconds", "10")), int.Parse(Get("warmup", "3")), int.Parse(Get("connections", "32")),
            Get("scenario", "management"), Get("configuration", "Release"), Get("only", "") is { Length: > 0 } only ? only : null,
            int.Parse(Get("rounds", "3")));
    }
}
